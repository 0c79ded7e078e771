import TandemDatabase

extension StepRunner {
    /// On PostgreSQL, the names of the connection's schema's INVALID indexes (a concurrent build
    /// that failed or is still running leaves one); nil elsewhere.
    func invalidIndexes() throws -> Set<String>? {
        guard connection.dialect == .postgres else { return nil }
        let rows = try connection.query(
            """
            SELECT c.relname FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT i.indisvalid AND n.nspname = current_schema()
            """)
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }

    /// Drops the INVALID indexes a failed statement without a cleanup of its own left (a raw
    /// `CREATE UNIQUE INDEX CONCURRENTLY` that met duplicates): those that were not INVALID
    /// `before` it and that its text names, so that another session's build in progress is left
    /// alone. A rerun can then build them again.
    func dropInvalidIndexes(leftBy statement: MigrationStatement, before: Set<String>?) {
        guard let before, let after = try? invalidIndexes() else { return }
        for name in after.subtracting(before).sorted() where statement.sql.contains(name) {
            clean("DROP INDEX CONCURRENTLY IF EXISTS \(quoteIdentifier(name))", patient: true)
        }
    }
}
