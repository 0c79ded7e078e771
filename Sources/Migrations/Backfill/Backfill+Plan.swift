import TandemDatabase

extension Backfill {
    /// The statements of one batch in the middle of the table, as `tandem migrate --plan` shows
    /// them: finding the batch's last key, then the `UPDATE` between the cursor (`$1`) and that
    /// key. PostgreSQL's first statement sets the batch's timeouts.
    ///
    /// - Throws: ``OperationError`` when the table, a column or the primary key is missing.
    public func plannedStatements(for dialect: Dialect, schema live: LiveSchema, settings: BackfillSettings)
        throws(OperationError) -> [String]
    {
        _ = try Operation.backfill(self).applying(to: live)
        let table = try live.table(table, for: "backfill")
        let statements = BackfillStatements(
            dialect: dialect, backfill: self, key: BackfillKey(columns: table.primaryKey))
        let timeouts = dialect == .postgres ? [statements.timeouts(settings).sql] : []
        return timeouts + [
            statements.boundary(afterCursor: true, batch: batchSize ?? settings.batchSize),
            statements.update(afterCursor: true, bounded: true),
        ]
    }
}
