/// A foreign key: columns of a table that reference the key columns of another (or the same) table.
///
/// ```swift
/// ForeignKey(["remote_id"], references: "core_remote", ["id"], onDelete: .cascade)
/// ```
///
/// Without a name, the constraint is named `<table>_<columns>_fkey` like PostgreSQL names it
/// (see ``ConstraintName``).
public struct ForeignKey: Sendable, Hashable, Codable {
    /// What happens to referencing rows when the referenced row is deleted or its key updated.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// Refuse the change at the end of the statement (the default).
        case noAction = "NO ACTION"
        /// Refuse the change at once.
        case restrict = "RESTRICT"
        /// Delete (or update) the referencing rows too.
        case cascade = "CASCADE"
        /// Set the referencing columns to NULL.
        case setNull = "SET NULL"
        /// Set the referencing columns to their defaults.
        case setDefault = "SET DEFAULT"
    }

    /// The constraint's name; nil for the default name.
    public var name: String?
    /// The referencing columns, in key order.
    public var columns: [String]
    /// The referenced table.
    public var referencedTable: String
    /// The referenced columns, one per referencing column.
    public var referencedColumns: [String]
    /// The action on delete of the referenced row.
    public var onDelete: Action
    /// The action on update of the referenced key.
    public var onUpdate: Action

    /// Creates a foreign key; `columns` and `referencedColumns` must have the same count.
    public init(
        _ columns: [String], references referencedTable: String, _ referencedColumns: [String],
        onDelete: Action = .noAction, onUpdate: Action = .noAction, name: String? = nil
    ) {
        precondition(!columns.isEmpty && columns.count == referencedColumns.count, "a foreign key pairs one or more columns")
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }
}
