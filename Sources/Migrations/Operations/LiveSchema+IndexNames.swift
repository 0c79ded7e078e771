import TandemDatabase
import TandemSchema

extension LiveSchema {
    /// Refuses an index name that a table, an index or a unique constraint of the schema already
    /// has, naming that owner: both databases keep index names schema-wide, and a default name
    /// (`<table>_<columns>_idx`) of one table can be another table's index
    /// (`repo_version` + `number` and `repo` + `version_number`).
    func checkIndexName(free name: String, for operation: String, on table: String) throws(OperationError) {
        guard let owner = owner(ofRelation: name) else { return }
        throw OperationError(
            "\(operation) on \(table): the index name \(name) is taken by \(owner); "
                + "give the index another name (`name:`), or drop or rename the other object first")
    }

    /// What already has relation name `name`, for messages; nil when it is free.
    private func owner(ofRelation name: String) -> String? {
        for table in schema.tables {
            if table.name == name { return "table \(table.name)" }
            let normalized = table.normalized
            if let index = normalized.indexes.first(where: { $0.name == name }) {
                return
                    "\(index.isUnique ? "unique index" : "index") \(name) on \(table.name) (\(index.columns.joined(separator: ", ")))"
            }
            if let unique = normalized.uniqueConstraints.first(where: { $0.name == name }) {
                return "unique constraint \(name) on \(table.name) (\(unique.columns.joined(separator: ", ")))"
            }
        }
        return nil
    }
}

extension DDL {
    /// PostgreSQL: after a failed `CREATE INDEX CONCURRENTLY`, drops the index `name` only when it
    /// is an INVALID index on `table`, which only a failed build leaves behind. A build that
    /// failed because the name was taken created nothing, and the object holding the name (an
    /// index of another table, one an operator built) is left alone.
    ///
    /// `DROP INDEX CONCURRENTLY` cannot run in the `DO` block that makes the check, so the
    /// INVALID index (which no query uses) is dropped with a plain `DROP INDEX`, under the
    /// session's lock timeout.
    ///
    /// The statement starts with a comment naming the index and table
    /// (``IndexBuildCleanup/marker(index:table:)``), so a later run can tell which build it is for.
    static func dropInvalidIndex(_ name: String, on table: String) -> String {
        let body = """
            BEGIN
              IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class t ON t.oid = i.indrelid
                WHERE n.nspname = current_schema() AND c.relname = \(SQLLiteral.quote(name))
                  AND t.relname = \(SQLLiteral.quote(table)) AND NOT i.indisvalid) THEN
                EXECUTE \(SQLLiteral.quote("DROP INDEX " + quoteIdentifier(name)));
              END IF;
            END
            """
        return IndexBuildCleanup.marker(index: name, table: table) + "\nDO " + SQLLiteral.quote(body)
    }
}
