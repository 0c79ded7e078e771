import TandemSchema
import TandemTriggers

extension Operation {
    /// Whether earlier code keeps working once this operation is applied.
    ///
    /// Compatible: `create_table`, `add_column` of a nullable column, one with a default or an
    /// identity, `create_index`, `drop_index` (old code stays correct, only slower; lint warns),
    /// `add_foreign_key` and `add_check` (validated without blocking writes), `drop_constraint`,
    /// `drop_not_null`, `set_default`, `backfill` (it only writes rows, in short batches), and `sql`
    /// declared compatible. Breaking: the others; see
    /// ``breakingReason``.
    public var phase: Phase {
        breakingReason == nil ? .compatible : .breaking
    }

    /// Why this operation breaks code of earlier releases, or nil when it does not.
    public var breakingReason: String? {
        switch self {
        case .dropTable(let table):
            return "earlier code still reads and writes table \(table)"
        case .dropColumn(let table, let column):
            return "earlier code still selects and inserts column \(table).\(column)"
        case .setNotNull(let table, let column):
            return
                "earlier code may insert or update rows of \(table) without a value for \(column), which would then fail"
        case .addColumn(let table, let column)
        where !column.isNullable && column.defaultValue == nil && !column.isIdentity:
            return
                "earlier code inserting rows into \(table) does not set \(column.name), which is NOT NULL without a default: the insert would fail"
        case .sql(_, _, .breaking):
            return "the raw SQL is declared breaking"
        case .completeColumn(let change):
            return "earlier code still reads and writes column \(change.table).\(change.old), which this drops"
        case .removeColumnSync(let sync):
            return "earlier code's writes to \(sync.table).\(sync.old) would no longer reach \(sync.new)"
        case .expandColumn, .installColumnSync:
            return nil
        case .createTable, .addColumn, .createIndex, .dropIndex, .addForeignKey, .addCheck, .dropNotNull, .setDefault,
            .sql,
            .dropConstraint, .backfill:
            return nil
        }
    }

    /// The operation's name as a migration file writes it: `create_table`, `sql`….
    public var name: String {
        switch self {
        case .createTable: "create_table"
        case .dropTable: "drop_table"
        case .addColumn: "add_column"
        case .dropColumn: "drop_column"
        case .createIndex: "create_index"
        case .dropIndex: "drop_index"
        case .addForeignKey: "add_foreign_key"
        case .addCheck: "add_check"
        case .setNotNull: "set_not_null"
        case .dropNotNull: "drop_not_null"
        case .setDefault: "set_default"
        case .sql: "sql"
        case .dropConstraint: "drop_constraint"
        case .backfill: "backfill"
        case .expandColumn(let change): change.expandName
        case .completeColumn(let change): change.completeName
        case .installColumnSync: "install_column_sync"
        case .removeColumnSync: "remove_column_sync"
        }
    }

    /// The table the operation changes, nil for raw SQL.
    public var table: String? {
        switch self {
        case .createTable(let table, _, _): table.name
        case .dropTable(let name): name
        case .addColumn(let table, _), .dropColumn(let table, _), .createIndex(let table, _), .dropIndex(let table, _),
            .addForeignKey(let table, _), .addCheck(let table, _), .setNotNull(let table, _),
            .dropNotNull(let table, _),
            .setDefault(let table, _, _), .dropConstraint(let table, _):
            table
        case .backfill(let backfill): backfill.table
        case .expandColumn(let change), .completeColumn(let change): change.table
        case .installColumnSync(let sync), .removeColumnSync(let sync): sync.table
        case .sql: nil
        }
    }

    /// A one-line summary for plans and messages: `add_column core_task.state`.
    public var summary: String {
        switch self {
        case .addColumn(let table, let column): "add_column \(table).\(column.name)"
        case .dropColumn(let table, let column), .setNotNull(let table, let column),
            .dropNotNull(let table, let column),
            .setDefault(let table, let column, _):
            "\(name) \(table).\(column)"
        case .createIndex(let table, let index):
            "create_index \(Table(table, columns: [], indexes: [index]).normalized.indexes[0].name!) on \(table)"
        case .dropIndex(let table, let object), .dropConstraint(let table, let object): "\(name) \(object) on \(table)"
        case .sql(_, _, let phase): "sql (\(phase.rawValue))"
        case .expandColumn(let change), .completeColumn(let change):
            "\(name) \(change.table).\(change.old) → \(change.new)"
        case .installColumnSync(let sync), .removeColumnSync(let sync):
            "\(name) \(sync.table).\(sync.old) ↔ \(sync.new)"
        case .backfill(let backfill):
            "backfill \(backfill.table) (\(backfill.assignments.map(\.column).joined(separator: ", ")))"
        default: "\(name) \(table ?? "")"
        }
    }
}
