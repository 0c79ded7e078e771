import TandemDatabase

/// A PostgreSQL index or constraint that is not valid: what an interrupted concurrent build or
/// validation leaves behind.
public struct UnfinishedObject: Sendable, Hashable {
    /// The table it belongs to.
    public let table: String
    /// The index or constraint name.
    public let name: String
}

extension Connection {
    /// PostgreSQL: the INVALID indexes of `current_schema()`, by table and name; empty on SQLite,
    /// which builds an index in one transaction.
    public func invalidIndexes() throws -> [UnfinishedObject] {
        guard dialect == .postgres else { return [] }
        return try query(
            """
            SELECT t.relname AS table_name, c.relname AS name FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND NOT i.indisvalid ORDER BY t.relname, c.relname
            """
        ).map {
            UnfinishedObject(table: try $0.decode(String.self, "table_name"), name: try $0.decode(String.self, "name"))
        }
    }

    /// PostgreSQL: the NOT VALID constraints of `current_schema()`'s tables, by table and name;
    /// empty on SQLite, which has none.
    public func unvalidatedConstraints() throws -> [UnfinishedObject] {
        guard dialect == .postgres else { return [] }
        return try query(
            """
            SELECT t.relname AS table_name, con.conname AS name FROM pg_constraint con
            JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND NOT con.convalidated ORDER BY t.relname, con.conname
            """
        ).map {
            UnfinishedObject(table: try $0.decode(String.self, "table_name"), name: try $0.decode(String.self, "name"))
        }
    }
}
