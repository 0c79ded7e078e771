import TandemSchema

extension Operation {
    /// The operations that undo this one, given `schema`, the schema just before it was applied
    /// (for the default a `set_default` replaced, or the index a `drop_index` removed); nil
    /// when it cannot be undone.
    ///
    /// Breaking operations are never undone: they destroyed what earlier code needs (a dropped
    /// column's data) or were applied because no earlier code runs any more. Raw `sql` is
    /// undone by its `down`, and has no inverse without one; a `backfill` has none (the values
    /// it overwrote are gone).
    ///
    /// `live`, the database's schema now, speaks for tables `schema` does not know (created by raw
    /// SQL or before Tandem): an expand step's inverse restores the old column's NOT NULL when the
    /// check the expand step added in its place is there.
    public func inverse(schema: Schema, live: Schema? = nil) -> [Operation]? {
        guard phase == .compatible else { return nil }
        switch self {
        case .createTable(let table, _, _):
            return [.dropTable(table.name)]
        case .addColumn(let table, let column):
            return [.dropColumn(table: table, column: column.name)]
        case .createIndex(let table, _):
            return addedName(in: schema).map { [.dropIndex(table: table, name: $0)] }
        case .dropIndex(let table, let name):
            return schema.table(named: table)?.normalized.indexes.first { $0.name == name }.map {
                [.createIndex(table: table, $0)]
            }
        case .addForeignKey(let table, _), .addCheck(let table, _):
            return addedName(in: schema).map { [.dropConstraint(table: table, name: $0)] }
        case .dropConstraint(let table, let name):
            guard let old = schema.table(named: table)?.normalized else { return nil }
            if let key = old.foreignKeys.first(where: { $0.name == name }) {
                return [.addForeignKey(table: table, key)]
            }
            if let check = old.checkConstraints.first(where: { $0.name == name }) {
                return [.addCheck(table: table, check)]
            }
            return nil
        case .dropNotNull(let table, let column):
            return [.setNotNull(table: table, column: column)]
        case .setDefault(let table, let column, _):
            guard let old = schema.table(named: table)?.column(named: column) else { return nil }
            return [.setDefault(table: table, column: column, old.defaultValue)]
        case .sql(let up, let down?, let phase):
            return [.sql(up: down, down: up, phase: phase)]
        case .expandColumn(let change):
            // Back to the old column alone: its NOT NULL restored first if it was relaxed, while
            // the triggers still copy new code's writes into it; then the triggers go and the new
            // column with them, consecutive statements the runner commits in one transaction, so
            // no write committed in between exists only in the dropped column.
            let relaxed: Bool
            if let old = schema.table(named: change.table)?.column(named: change.old) {
                relaxed = !old.isNullable && old.defaultValue == nil
            } else {
                relaxed =
                    live?.table(named: change.table)?.normalized.checkConstraints
                    .contains { $0.name == change.relaxedCheck.name } ?? false
            }
            let restore: [Operation] =
                relaxed
                ? [
                    .setNotNull(table: change.table, column: change.old),
                    .dropConstraint(table: change.table, name: change.relaxedCheck.name!),
                ] : []
            return restore + [.removeColumnSync(change.sync), .dropColumn(table: change.table, column: change.new)]
        case .installColumnSync(let sync):
            return [.removeColumnSync(sync)]
        case .sql, .dropTable, .dropColumn, .setNotNull, .backfill, .completeColumn, .removeColumnSync:
            return nil
        }
    }
}
