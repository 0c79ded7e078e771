import TandemDatabase
import TandemSchema

extension Connection {
    /// The column syncs installed in the current schema (PostgreSQL) or database (SQLite),
    /// found by the ``ColumnSyncNames/prefix`` of their objects' names, each checked against
    /// what its recorded sync generates. Sorted by table and columns.
    ///
    /// Objects with the prefix but no readable record are listed after them, one entry each,
    /// with a problem saying so.
    public func installedColumnSyncs() throws -> [InstalledColumnSync] {
        var recorded: [ColumnSync] = []
        var objectsByPair: [[String]: [String]] = [:]
        var tableByPair: [[String]: String] = [:]
        var unrecorded: [InstalledColumnSync] = []
        for object in try syncObjects() {
            guard let sync = object.code.flatMap(SyncMarker.sync(in:)) else {
                unrecorded.append(
                    InstalledColumnSync(
                        table: object.table, sync: nil, objects: [object.name],
                        problems: ["\"\(object.name)\" has no readable tandem-column-sync record"]))
                continue
            }
            let pair = [sync.table, sync.old, sync.new]
            if objectsByPair[pair] == nil { recorded.append(sync) }
            objectsByPair[pair, default: []].append(object.name)
            if let table = object.table { tableByPair[pair] = table }
        }
        let found = try recorded.map { sync in
            let pair = [sync.table, sync.old, sync.new]
            return InstalledColumnSync(
                table: tableByPair[pair] ?? sync.table, sync: sync,
                objects: Array(Set(objectsByPair[pair] ?? [])).sorted(),
                problems: try verifyColumnSync(sync))
        }
        let byPair = found.sorted { lhs, rhs in
            [lhs.table ?? "", lhs.sync?.old ?? "", lhs.sync?.new ?? ""].lexicographicallyPrecedes([
                rhs.table ?? "", rhs.sync?.old ?? "", rhs.sync?.new ?? "",
            ])
        }
        return byPair + unrecorded.sorted { $0.objects.lexicographicallyPrecedes($1.objects) }
    }

    /// What differs between the installed triggers of `sync`'s pair and what `sync` generates
    /// for the table as it is now; empty when they match.
    ///
    /// Reports a missing table, column, trigger or function; code changed by hand; a pair
    /// installed with other expressions; a column default changed since installation (the
    /// triggers compare against the default they were installed with: install again); a
    /// disabled or retargeted PostgreSQL trigger; on SQLite, a NOT NULL column that was not
    /// relaxed. The defaults of `sync` itself are ignored: the table's are used.
    public func verifyColumnSync(_ sync: ColumnSync) throws -> [String] {
        guard let table = try introspectTable(sync.table) else {
            return ["table \"\(sync.table)\" does not exist"]
        }
        let expected: ColumnSync
        do {
            expected = try sync.resolved(in: table)
        } catch let error as ColumnSyncError {
            return [error.message]
        }
        var problems: [String] = []
        switch dialect {
        case .postgres:
            problems += try verifyPostgres(expected)
        case .sqlite:
            problems += sync.columnsNeedingRelaxation(in: table).map {
                "column \"\($0)\" is NOT NULL without a default: call relaxNotNull(for:) before relying on the triggers"
            }
            problems += try verifySQLite(expected)
        }
        return problems
    }

    private func verifyPostgres(_ expected: ColumnSync) throws -> [String] {
        let names = expected.names
        var problems: [String] = []
        let function = try query(
            """
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema() AND p.proname = $1 AND p.pronargs = 0
            """, [.text(names.function)])
        if let code = try function.first?.decode(String.self, at: 0) {
            problems += SyncDifference.code(
                of: "function \"\(names.function)\"", installed: code,
                expected: PostgresSyncCode(sync: expected).functionBody,
                sync: expected)
        } else {
            problems.append("function \"\(names.function)\" is missing")
        }
        let trigger = try query(
            """
            SELECT t.tgtype::integer AS type, t.tgenabled::text AS enabled, p.proname::text AS function,
              cardinality(t.tgattr::int2[]) AS columns,
              (SELECT count(*) FROM pg_attribute a
                WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[]) AND a.attname IN ($3, $4)) AS matched
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE n.nspname = current_schema() AND c.relname = $1 AND t.tgname = $2
            """, [.text(expected.table), .text(names.trigger), .text(expected.old), .text(expected.new)])
        guard let row = trigger.first else {
            return problems + ["trigger \"\(names.trigger)\" on \"\(expected.table)\" is missing"]
        }
        let label = "trigger \"\(names.trigger)\""
        // tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
        if try row.decode(Int.self, "type") != 1 | 2 | 4 | 16 {
            problems.append("\(label) does not fire BEFORE INSERT OR UPDATE FOR EACH ROW")
        }
        if try row.decode(Int.self, "columns") != 2 || row.decode(Int.self, "matched") != 2 {
            problems.append("\(label) does not fire for updates of exactly \"\(expected.old)\" and \"\(expected.new)\"")
        }
        if let function = try row.decode(String?.self, "function"), function != names.function {
            problems.append("\(label) calls \"\(function)\" instead of \"\(names.function)\"")
        }
        if try row.decode(String.self, "enabled") == "D" {
            problems.append("\(label) is disabled")
        }
        return problems
    }

    private func verifySQLite(_ expected: ColumnSync) throws -> [String] {
        let code = SQLiteSyncCode(sync: expected)
        return try [
            (expected.names.insertTrigger, code.insertTrigger), (expected.names.updateTrigger, code.updateTrigger),
        ].flatMap {
            name, generated -> [String] in
            let rows = try query(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1", [.text(name)])
            guard let row = rows.first else { return ["trigger \"\(name)\" is missing"] }
            let table = try row.decode(String.self, "tbl_name")
            guard table == expected.table else {
                return ["trigger \"\(name)\" is on table \"\(table)\", not \"\(expected.table)\""]
            }
            return SyncDifference.code(
                of: "trigger \"\(name)\"", installed: try row.decode(String.self, "sql"), expected: generated,
                sync: expected)
        }
    }

    /// Every trigger and function whose name has the column sync prefix, with the code that
    /// holds its record: a SQLite trigger's SQL, a PostgreSQL function's source (for a trigger,
    /// the source of the function it calls).
    private func syncObjects() throws -> [(name: String, table: String?, code: String?)] {
        let prefix = DatabaseValue.text(ColumnSyncNames.prefix)
        let rows: [Row]
        switch dialect {
        case .postgres:
            rows = try query(
                """
                SELECT p.proname::text AS name, NULL::text AS tbl, p.prosrc AS code
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND substr(p.proname::text, 1, length($1)) = $1
                UNION ALL
                SELECT t.tgname::text, c.relname::text, p.prosrc
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND substr(t.tgname::text, 1, length($1)) = $1
                """, [prefix])
        case .sqlite:
            rows = try query(
                "SELECT name, tbl_name AS tbl, sql AS code FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, length(?1)) = ?1",
                [prefix])
        }
        return try rows.map { row in
            (
                try row.decode(String.self, "name"), try row.decode(String?.self, "tbl"),
                try row.decode(String?.self, "code")
            )
        }
    }
}
