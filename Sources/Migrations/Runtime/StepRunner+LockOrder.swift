import TandemDatabase

extension PlannedStep {
    /// On PostgreSQL, the tables that a transactional group's foreign-key changes reference
    /// (`add_foreign_key`, and `drop_constraint` of a foreign key), other than the tables they
    /// change. The runner locks them first, in SHARE ROW EXCLUSIVE mode (what the `ALTER TABLE`
    /// takes on them anyway), so that the migration takes the parent before the child, as old
    /// code's transactions that write a parent row and then its children do: it then waits for
    /// them without holding what they need next, and cannot deadlock with them.
    func referencedTables(of group: StatementGroup, dialect: Dialect) -> [String] {
        guard dialect == .postgres, group.transactional else { return [] }
        var tables: [String] = []
        for index in Set(group.operationIndexes).sorted() {
            let planned = operations[index]
            switch planned.operation {
            case .addForeignKey(let table, let key) where key.referencedTable != table:
                tables.append(key.referencedTable)
            case .dropConstraint(let table, let name):
                let key = planned.schemaBefore.table(named: table)?.foreignKeys.first { $0.name == name }
                if let key, key.referencedTable != table { tables.append(key.referencedTable) }
            default:
                break
            }
        }
        var seen: Set<String> = []
        return tables.filter { seen.insert($0).inserted }
    }
}

extension StepRunner {
    /// Locks `tables` (``PlannedStep/referencedTables(of:dialect:)``) in the group's transaction, before its statements.
    func lockFirst(_ tables: [String]) throws {
        for table in tables {
            try connection.execute("LOCK TABLE \(quoteIdentifier(table)) IN SHARE ROW EXCLUSIVE MODE")
        }
    }
}
