import Foundation
import TandemDatabase

/// Reads SQLite tables from its pragmas, and checks and constraint names from `sqlite_master`.
struct SQLiteIntrospector {
    let connection: Connection

    func table(_ name: String) throws -> Table? {
        let found = try connection.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", [.text(name)])
        guard let row = found.first else { return nil }
        var definition = SQLiteTableDefinition(sql: try row.decode(String?.self, "sql") ?? "")
        let info = try connection.query(
            #"SELECT name, type, "notnull" AS not_null, dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid"#, [.text(name)])
        let primaryKey = try info.filter { try $0.decode(Int.self, "pk") > 0 }
            .sorted { try $0.decode(Int.self, "pk") < $1.decode(Int.self, "pk") }
            .map { try $0.decode(String.self, "name") }
        var table = Table(name, columns: try info.map { try column($0, primaryKey: primaryKey) }, primaryKey: primaryKey)
        table.checkConstraints = definition.checks
        table.foreignKeys = try foreignKeys(name, definition: &definition)
        try addIndexes(name, to: &table, definition: &definition)
        return table
    }

    /// A lone `INTEGER` primary key is the rowid alias: an identity column.
    private func column(_ row: Row, primaryKey: [String]) throws -> Column {
        let name = try row.decode(String.self, "name")
        let declared = try row.decode(String.self, "type")
        if primaryKey == [name], declared.uppercased() == "INTEGER" {
            return Column.identity(name)
        }
        let type = ColumnType.parse(sqlite: declared)
        let defaultSQL = try row.decode(String?.self, "dflt_value")
        return Column(
            name, type, nullable: try row.decode(Int.self, "not_null") == 0,
            default: defaultSQL.map { DefaultParser.parse($0, type: type) })
    }

    private func foreignKeys(_ table: String, definition: inout SQLiteTableDefinition) throws -> [ForeignKey] {
        let rows = try connection.query(
            #"SELECT id, "table" AS referenced, "from" AS source, "to" AS target, on_update, on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq"#,
            [.text(table)])
        var keys: [ForeignKey] = []
        var names = definition.foreignKeys
        for id in Set(try rows.map { try $0.decode(Int.self, "id") }).sorted() {
            let parts = try rows.filter { try $0.decode(Int.self, "id") == id }
            let columns = try parts.map { try $0.decode(String.self, "source") }
            keys.append(
                ForeignKey(
                    columns, references: try parts[0].decode(String.self, "referenced"),
                    try parts.map { try $0.decode(String?.self, "target") ?? "" },
                    onDelete: ForeignKey.Action(rawValue: try parts[0].decode(String.self, "on_delete")) ?? .noAction,
                    onUpdate: ForeignKey.Action(rawValue: try parts[0].decode(String.self, "on_update")) ?? .noAction,
                    name: SQLiteTableDefinition.takeName(for: columns, from: &names)))
        }
        return keys
    }

    /// Unique constraints (origin `u`) and indexes made by `CREATE INDEX` (origin `c`); indexes on
    /// expressions are left out.
    private func addIndexes(_ table: String, to result: inout Table, definition: inout SQLiteTableDefinition) throws {
        var uniqueNames = definition.uniqueConstraints
        let list = try connection.query(#"SELECT name, "unique" AS is_unique, origin FROM pragma_index_list(?1) ORDER BY seq DESC"#, [.text(table)])
        for row in list {
            let name = try row.decode(String.self, "name")
            let columns = try connection.query("SELECT name FROM pragma_index_info(?1) ORDER BY seqno", [.text(name)])
                .map { try $0.decode(String?.self, "name") }
            guard !columns.contains(nil) else { continue }
            switch try row.decode(String.self, "origin") {
            case "u":
                result.uniqueConstraints.append(
                    UniqueConstraint(columns.compactMap { $0 }, name: SQLiteTableDefinition.takeName(for: columns.compactMap { $0 }, from: &uniqueNames)))
            case "c":
                result.indexes.append(
                    Index(columns.compactMap { $0 }, unique: try row.decode(Bool.self, "is_unique"), where: try predicate(of: name), name: name))
            default:
                continue
            }
        }
    }

    /// The condition after `WHERE` in the index's `CREATE INDEX` statement.
    private func predicate(of index: String) throws -> SchemaExpression? {
        let sql = try connection.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", [.text(index)])
            .first?.decode(String?.self, "sql") ?? ""
        var depth = 0
        for token in SQLTokenizer.tokens(sql) {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0, token.isWord("WHERE") {
                let condition = sql[token.range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                return SchemaExpression(condition.hasSuffix(";") ? String(condition.dropLast()) : condition)
            }
        }
        return nil
    }
}
