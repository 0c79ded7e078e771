import TandemDatabase

/// Renders schema values as one dialect's DDL statements.
///
/// Every name goes through ``TandemDatabase/Dialect/quote(_:)`` and every default value through
/// ``SQLLiteral``; constraints and indexes are always written with their names (defaults filled
/// in by ``Table/normalized``), so what a database reads back compares equal to what was rendered.
///
/// ```swift
/// let ddl = DDL(.postgres)
/// for statement in ddl.createTable(table) { try connection.execute(statement) }
/// try connection.execute(ddl.createIndex(index, on: "core_task", concurrently: true))
/// ```
///
/// Statements that only PostgreSQL can run in place (``addForeignKey(_:to:validated:)``,
/// ``setNotNull(_:in:)``…) are PostgreSQL-only; on SQLite the same change is a table rebuild,
/// ``rebuildTable(from:to:columnSources:triggers:)``.
///
/// ## Topics
/// - ``createSchema(_:)``
/// - ``createTable(_:)``
/// - ``dropTable(_:ifExists:)``
/// - ``addColumn(_:to:)``
/// - ``dropColumn(_:from:)``
/// - ``createIndex(_:on:concurrently:ifNotExists:)``
/// - ``dropIndex(_:concurrently:ifExists:)``
public struct DDL: Sendable, Hashable {
    /// The dialect statements are written in.
    public let dialect: Dialect

    /// A renderer for `dialect`.
    public init(_ dialect: Dialect) {
        self.dialect = dialect
    }

    /// Statements that create every table of `schema` with its indexes, referenced tables first.
    ///
    /// On PostgreSQL, foreign keys that close a cycle of references are added once all the tables
    /// exist; SQLite checks references only when rows are written, so it needs no such step.
    public func createSchema(_ schema: Schema) -> [String] {
        var created: Set<String> = []
        var statements: [String] = []
        var deferred: [String] = []
        for table in Self.dependencyOrder(schema.tables) {
            var table = table.normalized
            if dialect == .postgres {
                let (now, later) = table.foreignKeys.reduce(into: ([ForeignKey](), [ForeignKey]())) { split, key in
                    if key.referencedTable == table.name || created.contains(key.referencedTable) {
                        split.0.append(key)
                    } else {
                        split.1.append(key)
                    }
                }
                table.foreignKeys = now
                deferred += later.map { addForeignKey($0, to: table.name) }
            }
            created.insert(table.name)
            statements += createTable(table)
        }
        return statements + deferred
    }

    /// `CREATE TABLE` for `table`, then `CREATE INDEX` for each of its indexes.
    public func createTable(_ table: Table) -> [String] {
        let table = table.normalized
        return [createTableStatement(table)] + table.indexes.map { createIndex($0, on: table.name) }
    }

    /// `DROP TABLE`, which also drops the table's indexes, constraints and triggers.
    public func dropTable(_ name: String, ifExists: Bool = false) -> String {
        "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + dialect.quote(name)
    }

    /// `ALTER TABLE … RENAME TO …`.
    public func renameTable(_ name: String, to newName: String) -> String {
        "ALTER TABLE \(dialect.quote(name)) RENAME TO \(dialect.quote(newName))"
    }

    /// The `CREATE TABLE` statement alone, under `name` when given (a rebuild's new table).
    func createTableStatement(_ table: Table, name: String? = nil) -> String {
        let table = table.normalized
        var parts = table.columns.map { columnDefinition($0, in: table) }
        if !table.primaryKey.isEmpty {
            parts.append("PRIMARY KEY " + columnList(table.primaryKey))
        }
        parts += table.uniqueConstraints.map(uniqueClause)
        parts += table.checkConstraints.map(checkClause)
        parts += table.foreignKeys.map(foreignKeyClause)
        return "CREATE TABLE \(dialect.quote(name ?? table.name)) (\n    " + parts.joined(separator: ",\n    ") + "\n)"
    }

    /// `("a", "b")`.
    func columnList(_ columns: [String]) -> String {
        "(" + columns.map(dialect.quote).joined(separator: ", ") + ")"
    }

    /// Tables ordered so that each comes after the tables it references, where cycles allow;
    /// otherwise in the order given.
    private static func dependencyOrder(_ tables: [Table]) -> [Table] {
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var ordered: [Table] = []
        var visited: Set<String> = []
        func visit(_ table: Table) {
            guard visited.insert(table.name).inserted else { return }
            for key in table.foreignKeys {
                if let referenced = byName[key.referencedTable] { visit(referenced) }
            }
            ordered.append(table)
        }
        tables.forEach(visit)
        return ordered
    }
}
