import TandemDatabase

extension PlannedOperation {
    /// Why writers may wait for this operation longer than one lock attempt
    /// (``MigrationSettings/ddlLockTimeout``), or nil when they cannot.
    ///
    /// The lock timeout bounds how long a statement waits for its lock, and so how long writers
    /// queue behind it; it cannot bound a statement that holds a lock writers need while it
    /// works. On PostgreSQL that is a table rewrite (an identity column, or a default that is an
    /// expression, which may be volatile) and raw SQL, which Tandem cannot see into; such a
    /// statement is bounded only by ``MigrationSettings/statementTimeout``. On SQLite every step
    /// holds the database's write lock until it commits, and a table rebuild copies every row
    /// while holding it. `tandem migrate --plan` prints the reason under the operation.
    public func unboundedWriterWait(on dialect: Dialect) -> String? {
        switch (operation, dialect) {
        case (.addColumn(_, let column), .postgres) where column.isIdentity:
            return
                "an identity column rewrites the table under an ACCESS EXCLUSIVE lock: writers wait for the whole rewrite (up to --statement-timeout)"
        case (.addColumn(_, let column), .postgres):
            guard case .expression = column.defaultValue else { return nil }
            return
                "a default that is an expression may make PostgreSQL rewrite the table under an ACCESS EXCLUSIVE lock: writers would wait for the whole rewrite (up to --statement-timeout)"
        case (.sql, _):
            return "raw SQL: Tandem cannot tell which locks its statements hold, or for how long"
        case (_, .sqlite) where statements.contains(where: \.needsForeignKeysOff):
            return
                "rebuilds the table, copying every row while holding the database's write lock: writers wait for the whole copy (their own busy timeout)"
        default:
            return nil
        }
    }
}
