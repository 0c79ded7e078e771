import TandemDatabase

extension DDL {
    /// `CREATE [UNIQUE] INDEX … ON … (…) [WHERE …]`.
    ///
    /// With `concurrently`, PostgreSQL builds the index without blocking writes (the statement
    /// cannot run inside a transaction, and a failed build leaves an invalid index to drop);
    /// SQLite has no such mode and ignores the flag.
    public func createIndex(_ index: Index, on table: String, concurrently: Bool = false, ifNotExists: Bool = false) -> String {
        let index = Table(table, columns: [], indexes: [index]).normalized.indexes[0]
        var statement = index.isUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "
        if concurrently && dialect == .postgres { statement += "CONCURRENTLY " }
        if ifNotExists { statement += "IF NOT EXISTS " }
        statement += "\(dialect.quote(index.name!)) ON \(dialect.quote(table)) " + columnList(index.columns)
        if let predicate = index.predicate { statement += " WHERE " + predicate.sql }
        return statement
    }

    /// `DROP INDEX …`; `concurrently` as for ``createIndex(_:on:concurrently:ifNotExists:)``.
    public func dropIndex(_ name: String, concurrently: Bool = false, ifExists: Bool = false) -> String {
        var statement = "DROP INDEX "
        if concurrently && dialect == .postgres { statement += "CONCURRENTLY " }
        if ifExists { statement += "IF EXISTS " }
        return statement + dialect.quote(name)
    }
}
