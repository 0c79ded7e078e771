import TandemDatabase
import TandemSchema

extension ColumnSync {
    /// The columns of the pair that are NOT NULL without a default in `table`: on SQLite, a
    /// write of the other column alone would fail before the triggers could fill them.
    public func columnsNeedingRelaxation(in table: Table) -> [String] {
        [old, new].filter { name in
            guard let column = table.column(named: name) else { return false }
            return !column.isNullable && column.defaultValue == nil
        }
    }

    /// `table` with the columns of ``columnsNeedingRelaxation(in:)`` made nullable and a CHECK
    /// named ``ColumnSyncNames/relaxedCheck`` that one of the two columns is not NULL.
    ///
    /// The check runs before SQLite's triggers, on the row as the statement wrote it, so it
    /// still rejects a row where neither column was given; once the triggers have copied the
    /// value, both columns are filled. The complete step drops the check with the old column
    /// and puts NOT NULL on the new one.
    public func relaxed(_ table: Table) -> Table {
        let relaxing = Set(columnsNeedingRelaxation(in: table))
        guard !relaxing.isEmpty else { return table }
        var result = table
        for index in result.columns.indices where relaxing.contains(result.columns[index].name) {
            result.columns[index].isNullable = true
        }
        result.checkConstraints.removeAll { $0.name == names.relaxedCheck }
        result.checkConstraints.append(
            CheckConstraint(
                SchemaExpression("\(quoteIdentifier(old)) IS NOT NULL OR \(quoteIdentifier(new)) IS NOT NULL"),
                name: names.relaxedCheck))
        return result
    }
}

extension Connection {
    /// Prepares a table for ``installColumnSync(_:)`` on SQLite: when a column of the pair is
    /// NOT NULL without a default, rebuilds the table with ``ColumnSync/relaxed(_:)``, keeping
    /// its rows, indexes and triggers. Returns whether it rebuilt the table.
    ///
    /// PostgreSQL needs nothing: its BEFORE trigger fills the column before NOT NULL is
    /// checked. Like every SQLite rebuild, this copies the table and must run outside a
    /// transaction.
    ///
    /// - Throws: ``ColumnSyncError`` when the table is missing; the rebuild's errors.
    @discardableResult
    public func relaxNotNull(for sync: ColumnSync) throws -> Bool {
        guard dialect == .sqlite else { return false }
        let table = try syncedTable(sync)
        let relaxed = sync.relaxed(table)
        guard !sync.columnsNeedingRelaxation(in: table).isEmpty else { return false }
        try rebuildTable(from: table, to: relaxed)
        return true
    }
}
