import Foundation
import TandemDatabase

/// Reads tables of `current_schema()` from PostgreSQL's catalog.
struct PostgresIntrospector {
    let connection: Connection

    func table(_ name: String) throws -> Table? {
        let found = try connection.query(
            """
            SELECT c.oid::bigint AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = $1
            """, [.text(name)])
        guard let row = found.first else { return nil }
        let oid = try row.decode(Int64.self, "oid")
        var table = Table(name, columns: try columns(oid))
        try addConstraints(oid, to: &table)
        table.indexes = try indexes(oid)
        return table
    }

    private func columns(_ oid: Int64) throws -> [Column] {
        try connection.query(
            """
            SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                a.attidentity <> '' AS identity, pg_get_expr(d.adbin, d.adrelid) AS default_sql
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.integer(oid)]
        ).map { row in
            let type = ColumnType.parse(postgres: try row.decode(String.self, "type"))
            let defaultSQL = try row.decode(String?.self, "default_sql")
            return Column(
                try row.decode(String.self, "name"), type, nullable: !(try row.decode(Bool.self, "not_null")),
                default: defaultSQL.map { DefaultParser.parse($0, type: type) }, identity: try row.decode(Bool.self, "identity"))
        }
    }

    private func addConstraints(_ oid: Int64, to table: inout Table) throws {
        let rows = try connection.query(
            """
            SELECT con.conname AS name, con.contype::text AS kind, ref.relname AS referenced_table,
                \(Self.columnNames("con.conkey", table: "con.conrelid")) AS columns,
                \(Self.columnNames("con.confkey", table: "con.confrelid")) AS referenced_columns,
                con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
                pg_get_expr(con.conbin, con.conrelid) AS check_sql
            FROM pg_constraint con LEFT JOIN pg_class ref ON ref.oid = con.confrelid
            WHERE con.conrelid = $1 AND con.contype IN ('p', 'u', 'f', 'c')
            """, [.integer(oid)])
        for row in rows {
            let name = try row.decode(String.self, "name")
            let columns = try Self.decodeNames(row, "columns")
            switch try row.decode(String.self, "kind") {
            case "p":
                table.primaryKey = columns
            case "u":
                table.uniqueConstraints.append(UniqueConstraint(columns, name: name))
            case "f":
                table.foreignKeys.append(
                    ForeignKey(
                        columns, references: try row.decode(String.self, "referenced_table"), try Self.decodeNames(row, "referenced_columns"),
                        onDelete: try Self.action(row, "on_delete"), onUpdate: try Self.action(row, "on_update"), name: name))
            default:
                table.checkConstraints.append(CheckConstraint(SchemaExpression(try row.decode(String.self, "check_sql")), name: name))
            }
        }
    }

    /// Indexes other than those backing the primary key and unique constraints; indexes on
    /// expressions are left out.
    private func indexes(_ oid: Int64) throws -> [Index] {
        try connection.query(
            """
            SELECT ic.relname AS name, i.indisunique AS is_unique, pg_get_expr(i.indpred, i.indrelid) AS predicate,
                to_json(ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                    WHERE k.ord <= i.indnkeyatts ORDER BY k.ord))::text AS columns
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = $1 AND i.indexprs IS NULL AND NOT EXISTS (
                SELECT 1 FROM pg_constraint con
                WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
            """, [.integer(oid)]
        ).map { row in
            Index(
                try Self.decodeNames(row, "columns"), unique: try row.decode(Bool.self, "is_unique"),
                where: try row.decode(String?.self, "predicate").map { SchemaExpression($0) }, name: try row.decode(String.self, "name"))
        }
    }

    /// SQL for the JSON array of the names of attribute numbers `numbers` of `table`, in order.
    private static func columnNames(_ numbers: String, table: String) -> String {
        """
        to_json(ARRAY(SELECT a.attname FROM unnest(\(numbers)) WITH ORDINALITY AS k(num, ord)
            JOIN pg_attribute a ON a.attrelid = \(table) AND a.attnum = k.num ORDER BY k.ord))::text
        """
    }

    private static func decodeNames(_ row: Row, _ column: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(try row.decode(String.self, column).utf8))
    }

    private static func action(_ row: Row, _ column: String) throws -> ForeignKey.Action {
        switch try row.decode(String.self, column) {
        case "r": .restrict
        case "c": .cascade
        case "n": .setNull
        case "d": .setDefault
        default: .noAction
        }
    }
}
