import TandemDatabase
import TandemSchema
import TandemTriggers

extension Connection {
    /// PostgreSQL: the expression indexes, views and triggers that depend on a column, from
    /// `pg_depend`. Indexes on plain columns are left out (the schema models them), and so are
    /// the column sync triggers, which the contract step removes itself.
    func postgresColumnDependents() throws -> [String: [String: [String]]] {
        let rows = try query(
            """
            SELECT t.relname::text AS tbl, a.attname::text AS col,
              CASE
                WHEN d.classid = 'pg_class'::regclass THEN 'index ' || ic.relname || ' (' || pg_get_indexdef(d.objid) || ')'
                WHEN d.classid = 'pg_rewrite'::regclass THEN 'view ' || r.ev_class::regclass::text
                ELSE 'trigger ' || tg.tgname
              END AS what
            FROM pg_depend d
            JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            LEFT JOIN pg_index i ON d.classid = 'pg_class'::regclass AND i.indexrelid = d.objid
            LEFT JOIN pg_class ic ON d.classid = 'pg_class'::regclass AND ic.oid = d.objid
            LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
            LEFT JOIN pg_trigger tg ON d.classid = 'pg_trigger'::regclass AND tg.oid = d.objid
            WHERE n.nspname = current_schema() AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
              AND ((i.indexrelid IS NOT NULL AND i.indexprs IS NOT NULL)
                OR (r.oid IS NOT NULL AND r.ev_class <> t.oid)
                OR (tg.oid IS NOT NULL AND NOT tg.tgisinternal AND substr(tg.tgname::text, 1, length($1)) <> $1))
            ORDER BY 1, 2, 3
            """, [.text(ColumnSyncNames.prefix)])
        var result: [String: [String: [String]]] = [:]
        for row in rows {
            let what = try row.decode(String.self, "what")
            result[try row.decode(String.self, "tbl"), default: [:]][try row.decode(String.self, "col"), default: []]
                .append(what)
        }
        return result
    }

    /// SQLite: the indexes on expressions, by table, with their `CREATE INDEX` statements.
    func sqliteExpressionIndexes() throws -> [String: [(name: String, sql: String)]] {
        let rows = try query(
            """
            SELECT name, tbl_name, sql FROM sqlite_master m
            WHERE type = 'index' AND sql IS NOT NULL AND EXISTS (SELECT 1 FROM pragma_index_xinfo(m.name) WHERE cid = -2)
            ORDER BY name
            """)
        var result: [String: [(name: String, sql: String)]] = [:]
        for row in rows {
            result[try row.decode(String.self, "tbl_name"), default: []].append(
                (try row.decode(String.self, "name"), try row.decode(String.self, "sql")))
        }
        return result
    }

    /// SQLite: the expression indexes, views and triggers whose SQL names a column of a table
    /// (matched by name), the column sync triggers left out.
    func sqliteColumnDependents(
        _ schema: Schema, triggers: [String: [String]], indexes: [String: [(name: String, sql: String)]]
    ) throws -> [String: [String: [String]]] {
        var result: [String: [String: [String]]] = [:]
        func add(_ description: String, sql: String, on table: Table) {
            for column in table.columns where SchemaExpression(sql).names(column: column.name) {
                result[table.name, default: [:]][column.name, default: []].append(description)
            }
        }
        for (tableName, list) in indexes {
            guard let table = schema.table(named: tableName) else { continue }
            for index in list { add("index \(index.name) (\(index.sql))", sql: index.sql, on: table) }
        }
        let views = try query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'view' AND sql IS NOT NULL ORDER BY name")
        for view in views {
            let name = try view.decode(String.self, "name"), sql = try view.decode(String.self, "sql")
            for table in schema.tables where SchemaExpression(sql).names(column: table.name) {
                add("view \(name)", sql: sql, on: table)
            }
        }
        for (tableName, statements) in triggers {
            guard let table = schema.table(named: tableName) else { continue }
            for statement in statements {
                guard let name = LiveSchema.triggerName(in: statement), !name.hasPrefix(ColumnSyncNames.prefix) else {
                    continue
                }
                add("trigger \(name)", sql: statement, on: table)
            }
        }
        return result
    }
}
