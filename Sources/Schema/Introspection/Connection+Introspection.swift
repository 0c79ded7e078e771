import TandemDatabase

extension Connection {
    /// Reads every table of the database into a ``Schema``, tables by name.
    ///
    /// On PostgreSQL that is the tables of `current_schema()`; on SQLite every table except
    /// SQLite's own `sqlite_…` tables. Tandem's own tables are included: filter them if needed.
    /// Indexes on expressions are not modelled and are left out.
    public func introspectSchema() throws -> Schema {
        Schema(tables: try tableNames().compactMap { try introspectTable($0) })
    }

    /// Reads one table, or nil when there is no such table.
    public func introspectTable(_ name: String) throws -> Table? {
        switch dialect {
        case .postgres: try PostgresIntrospector(connection: self).table(name)
        case .sqlite: try SQLiteIntrospector(connection: self).table(name)
        }
    }

    /// The names of the database's tables, sorted (see ``introspectSchema()`` for which).
    public func tableNames() throws -> [String] {
        let sql =
            switch dialect {
            case .postgres:
                """
                SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
                """
            case .sqlite:
                "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'"
            }
        return try query(sql).map { try $0.decode(String.self, "name") }.sorted()
    }
}
