import TandemSchema

extension ColumnChange {
    /// Refuses `up` or `down` when it names a column of `table` other than its source: the
    /// triggers evaluate each on its source column alone (see ``TandemTriggers/ColumnSync``), so
    /// any other column would fail there, on the application's next write.
    ///
    /// Whether each names its source at all is a lint error (``Lint``), as it needs no schema.
    /// What reading the text cannot tell (a misspelt name that is no column) the installation's
    /// probe finds, by running the triggers inside the migration's transaction.
    func checkExpressions(against table: Table) throws(OperationError) {
        for (role, expression, source) in [("up", up, old), ("down", down, new)] {
            guard let expression else { continue }
            let columns = table.columns.map(\.name) + (table.column(named: new) == nil ? [new] : [])
            let others = columns.filter { $0 != source }
            if let other = others.first(where: { SchemaExpression(expression).names(column: $0) }) {
                throw OperationError(
                    "\(expandName): '\(role)' names column \(table.name).\(other); it may name only \(source), "
                        + "the column it computes \(role == "up" ? new : old) from")
            }
        }
    }
}
