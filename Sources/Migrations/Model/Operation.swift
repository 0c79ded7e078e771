import TandemSchema

/// One schema or data change of a migration file, as written under `operations:`.
///
/// Each operation is classified ``Phase/compatible`` or ``Phase/breaking`` and rendered for each
/// dialect (see `Operation+Phase.swift` and `Operation+Rendering.swift`).
public enum Operation: Sendable, Hashable {
    /// `create_table`; `master: true` adds `pulp_type`; `detail_of` makes the primary key a
    /// cascading foreign key to the parent table's.
    case createTable(Table, master: Bool, detailOf: String?)
    /// `drop_table`.
    case dropTable(String)
    /// `add_column`.
    case addColumn(table: String, Column)
    /// `drop_column`.
    case dropColumn(table: String, column: String)
    /// `create_index` (PostgreSQL: `CONCURRENTLY`, outside the transaction).
    case createIndex(table: String, Index)
    /// `drop_index`.
    case dropIndex(table: String, name: String)
    /// `add_foreign_key` (PostgreSQL: `NOT VALID`, then validated).
    case addForeignKey(table: String, ForeignKey)
    /// `add_check` (PostgreSQL: `NOT VALID`, then validated).
    case addCheck(table: String, CheckConstraint)
    /// `set_not_null`.
    case setNotNull(table: String, column: String)
    /// `drop_not_null`.
    case dropNotNull(table: String, column: String)
    /// `set_default`; nil drops the default.
    case setDefault(table: String, column: String, ColumnDefault?)
    /// `sql: {up, down, phase}`; `up` may hold several statements separated by `;`.
    case sql(up: String, down: String?, phase: Phase)
    /// `drop_constraint`: a foreign key, check or unique constraint, by name; the inverse of
    /// `add_foreign_key` and `add_check`.
    case dropConstraint(table: String, name: String)
    /// `backfill: {table, set, where, batch_size}`: a batched data migration, run by a
    /// ``Backfiller`` outside the migration's transaction, batch by batch.
    case backfill(Backfill)
}

/// An operation with the line of the migration file it was written on, for messages.
public struct LocatedOperation: Sendable, Hashable {
    /// The operation.
    public let operation: Operation
    /// The 1-based line in its file.
    public let line: Int

    /// Creates a located operation.
    public init(_ operation: Operation, line: Int) {
        self.operation = operation
        self.line = line
    }
}
