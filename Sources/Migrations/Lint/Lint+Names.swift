import TandemSchema

extension Lint {
    /// Errors a file can show without a database: a column change whose `up` does not name the
    /// old column or whose `down` does not name the new one (the triggers evaluate each on that
    /// column alone, so it would not follow the data), and an identifier PostgreSQL would cut
    /// to 63 bytes (the file would then name a column or table the database does not have; on
    /// SQLite, which keeps long names, the same file would mean something else).
    static func nameErrors(_ operation: Operation) -> [String] {
        var errors: [String] = []
        if case .expandColumn(let change) = operation {
            for (role, expression, source) in [("up", change.up, change.old), ("down", change.down, change.new)] {
                guard let expression, !SchemaExpression(expression).names(column: source) else { continue }
                errors.append(
                    "\(change.expandName) \(change.table).\(change.old) → \(change.new): '\(role)' does not name \(source), "
                        + "the column it computes \(role == "up" ? change.new : change.old) from")
            }
        }
        for name in identifiers(of: operation) where name.utf8.count > ConstraintName.maximumLength {
            errors.append(
                "\(operation.name): identifier '\(name)' is \(name.utf8.count) bytes; PostgreSQL keeps only "
                    + "\(ConstraintName.maximumLength), so the name would not be the one written here")
        }
        return errors
    }

    /// The tables, columns, indexes and constraints an operation names.
    private static func identifiers(of operation: Operation) -> [String] {
        var names = operation.table.map { [$0] } ?? []
        switch operation {
        case .createTable(let table, _, let detailOf):
            names += table.columns.map(\.name) + [detailOf].compactMap { $0 }
            names += table.indexes.compactMap(\.name) + table.indexes.flatMap(\.columns)
            names += table.foreignKeys.flatMap {
                [$0.referencedTable] + $0.columns + $0.referencedColumns + [$0.name].compactMap { $0 }
            }
            names += table.uniqueConstraints.compactMap(\.name) + table.checkConstraints.compactMap(\.name)
        case .addColumn(_, let column):
            names.append(column.name)
        case .dropColumn(_, let column), .setNotNull(_, let column), .dropNotNull(_, let column),
            .setDefault(_, let column, _), .dropIndex(_, let column), .dropConstraint(_, let column):
            names.append(column)
        case .createIndex(_, let index):
            names += index.columns + [index.name].compactMap { $0 }
        case .addForeignKey(_, let key):
            names += [key.referencedTable] + key.columns + key.referencedColumns + [key.name].compactMap { $0 }
        case .addCheck(_, let check):
            names += [check.name].compactMap { $0 }
        case .backfill(let backfill):
            names += backfill.assignments.map(\.column)
        case .expandColumn(let change), .completeColumn(let change):
            names += [change.old, change.new]
        case .dropTable, .sql, .installColumnSync, .removeColumnSync:
            break
        }
        return names
    }
}
