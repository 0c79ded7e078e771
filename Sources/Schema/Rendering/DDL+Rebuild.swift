import TandemDatabase

extension DDL {
    /// The statements of SQLite's table rebuild (steps 4 to 8 of the twelve its documentation
    /// gives for changes `ALTER TABLE` cannot make): create the new table under a temporary
    /// name, copy the rows, drop the old table, rename the new one, create its indexes and the
    /// old table's triggers again.
    ///
    /// Run them with ``TandemDatabase/Connection/rebuildTable(from:to:columnSources:)``, which
    /// adds the other steps: foreign keys off, a transaction, reading the triggers, checking
    /// foreign keys before committing.
    ///
    /// - Parameters:
    ///   - old: the table as it is.
    ///   - new: the table as it should be, under the same name.
    ///   - columnSources: for columns of `new` filled from an old column of another name, that
    ///     name (a rename). Columns of `new` found in neither `old` nor here get their defaults.
    ///   - triggers: the `CREATE TRIGGER` statements of the old table, from `sqlite_master`.
    public func rebuildTable(from old: Table, to new: Table, columnSources: [String: String] = [:], triggers: [String] = []) -> [String] {
        precondition(dialect == .sqlite, "PostgreSQL alters tables in place")
        precondition(old.name == new.name, "a rebuild keeps the table's name; rename it separately")
        let temporary = "tandem_rebuild_" + new.name
        let oldColumns = Set(old.columns.map(\.name))
        let copied = new.columns.compactMap { column -> (String, String)? in
            let source = columnSources[column.name] ?? column.name
            return oldColumns.contains(source) ? (column.name, source) : nil
        }
        var statements = [createTableStatement(new, name: temporary)]
        if !copied.isEmpty {
            statements.append(
                "INSERT INTO \(dialect.quote(temporary)) " + columnList(copied.map(\.0)) + " SELECT "
                    + copied.map { dialect.quote($0.1) }.joined(separator: ", ") + " FROM " + dialect.quote(old.name))
        }
        statements.append(dropTable(old.name))
        // Without the legacy rule, the rename would check every view and trigger that names the
        // dropped table, and fail on them although they are right again once the rename is done.
        statements.append("PRAGMA legacy_alter_table = ON")
        statements.append(renameTable(temporary, to: new.name))
        statements.append("PRAGMA legacy_alter_table = OFF")
        statements += new.normalized.indexes.map { createIndex($0, on: new.name) }
        return statements + triggers
    }
}
