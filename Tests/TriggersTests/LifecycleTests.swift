import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@Suite("Installing, listing and removing column syncs")
struct LifecycleTests {
    static let sync = ColumnSync(table: "item", old: "old_value", new: "new_value")

    @Test(arguments: TestDatabaseKind.allCases)
    func installIsIdempotentAndReplacesExpressions(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                let first = try connection.installColumnSync(Self.sync)
                #expect(try connection.installColumnSync(Self.sync) == first)
                #expect(try connection.installedColumnSyncs().map(\.sync) == [first])

                var doubled = Self.sync
                doubled.up = "old_value * 2"
                doubled.down = "new_value / 2"
                try connection.installColumnSync(doubled)
                try connection.execute("INSERT INTO item (old_value) VALUES (4)")
                #expect(try connection.pairs(Self.sync) == [.ints(4, 8)])
                let installed = try #require(try connection.installedColumnSyncs().first)
                #expect(installed.sync?.up == "old_value * 2")
                #expect(installed.isIntact, "\(installed.problems)")
                #expect(try connection.installedColumnSyncs().count == 1)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func badRequestsAreRefusedAndInstallNothing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                try connection.execute("ALTER TABLE item ADD COLUMN third_value INTEGER")
                try connection.installColumnSync(Self.sync)
                let cases: [(ColumnSync, String)] = [
                    (ColumnSync(table: "missing", old: "a", new: "b"), "table \"missing\" does not exist"),
                    (ColumnSync(table: "item", old: "old_value", new: "nope"), "has no new column \"nope\""),
                    (ColumnSync(table: "item", old: "id", new: "third_value"), "\"id\" is an identity column"),
                    (
                        ColumnSync(table: "item", old: "new_value", new: "third_value"),
                        "already kept in sync by column sync \"item\".\"old_value\""
                    ),
                ]
                for (sync, message) in cases {
                    let error = thrownError { try connection.installColumnSync(sync) }
                    #expect(
                        (error as? ColumnSyncError)?.message.contains(message) == true, "\(String(describing: error))")
                }
                #expect(try connection.installedColumnSyncs().compactMap(\.sync).map(\.new) == ["new_value"])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func removalStopsSyncingAndKeepsTheTable(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                try connection.installColumnSync(Self.sync)
                try connection.execute("INSERT INTO item (old_value) VALUES (1)")
                let before = try #require(try connection.introspectTable("item"))
                try connection.removeColumnSync(Self.sync)
                try connection.removeColumnSync(Self.sync)
                #expect(try connection.introspectTable("item") == before)
                #expect(try connection.installedColumnSyncs().isEmpty)
                try connection.execute("INSERT INTO item (old_value) VALUES (2)")
                try connection.execute("UPDATE item SET new_value = 9 WHERE id = 1")
                #expect(try connection.pairs(Self.sync) == [.ints(1, 9), .ints(2, nil)])
                #expect(
                    try connection.verifyColumnSync(Self.sync).count == Self.sync.names.triggers(
                        for: connection.dialect
                    ).count + (connection.dialect == .postgres ? 1 : 0))
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func listingFindsEverySyncAndStrayObjects(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable("a_table"))
                try connection.create(syncTable("b_table", new: Column("new_value", .text)))
                let b = try connection.installColumnSync(
                    ColumnSync(
                        table: "b_table", old: "old_value", new: "new_value", up: "CAST(old_value AS TEXT)",
                        down: "CAST(new_value AS INTEGER)"))
                let a = try connection.installColumnSync(
                    ColumnSync(table: "a_table", old: "old_value", new: "new_value"))
                switch connection.dialect {
                case .postgres:
                    try connection.executeScript(
                        """
                        CREATE FUNCTION tandem_sync_stray() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                        CREATE TRIGGER tandem_sync_stray BEFORE INSERT ON a_table FOR EACH ROW EXECUTE FUNCTION tandem_sync_stray();
                        """)
                case .sqlite:
                    try connection.execute(
                        "CREATE TRIGGER tandem_sync_stray AFTER INSERT ON a_table BEGIN SELECT 1; END")
                }
                let listed = try connection.installedColumnSyncs()
                #expect(listed.compactMap(\.sync) == [a, b])
                #expect(listed.filter(\.isIntact).count == 2)
                #expect(
                    listed[0].objects
                        == (connection.dialect == .postgres
                            ? [a.names.function] : [a.names.insertTrigger, a.names.updateTrigger].sorted()))
                let stray = listed.filter { $0.sync == nil }
                #expect(
                    stray.flatMap(\.objects)
                        == (connection.dialect == .postgres
                            ? ["tandem_sync_stray", "tandem_sync_stray"] : ["tandem_sync_stray"]))
                #expect(
                    stray.allSatisfy {
                        $0.problems == ["\"tandem_sync_stray\" has no readable tandem-column-sync record"]
                    })
                #expect(stray.compactMap(\.table) == ["a_table"])
            }
        }
    }

    /// Quotes, spaces, unicode, and columns named like PL/pgSQL's `old` and `new` records.
    @Test(arguments: TestDatabaseKind.allCases)
    func hostileIdentifiers(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let table = "it\"em; DROP TABLE x --"
                try connection.create(
                    syncTable(table, old: Column("old", .integer), new: Column("nouveau \"côté\" 🚀", .text)))
                let sync = ColumnSync(
                    table: table, old: "old", new: "nouveau \"côté\" 🚀", up: "'#' || CAST(old AS TEXT) || '''s'",
                    down: "CAST(substr(\"nouveau \"\"côté\"\" 🚀\", 2, 1) AS INTEGER)")
                try connection.installColumnSync(sync)
                try connection.execute("INSERT INTO \(quoteIdentifier(table)) (old) VALUES (4)")
                try connection.execute(
                    "INSERT INTO \(quoteIdentifier(table)) (\(quoteIdentifier(sync.new))) VALUES ('#7''s')")
                #expect(
                    try connection.pairs(sync) == [Pair(.integer(4), .text("#4's")), Pair(.integer(7), .text("#7's"))])
                let listed = try connection.installedColumnSyncs()
                #expect(listed.map(\.sync) == [try sync.resolved(in: #require(try connection.introspectTable(table)))])
                #expect(listed.first?.problems == [])
                try connection.removeColumnSync(sync)
                #expect(try connection.installedColumnSyncs().isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func longNamesAreFittedTo63Bytes(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let table = "a_rather_long_table_name_for_remote_repositories"
                let sync = ColumnSync(
                    table: table, old: "download_concurrency_setting", new: "download_concurrency_limit_é")
                let other = ColumnSync(
                    table: table, old: "download_concurrency_setting_2", new: "download_concurrency_limit_2")
                let names = [sync.names, other.names].flatMap {
                    [$0.function, $0.insertTrigger, $0.updateTrigger, $0.relaxedCheck]
                }
                #expect(names.allSatisfy { $0.utf8.count <= 63 && $0.hasPrefix(ColumnSyncNames.prefix) })
                #expect(Set(names).count == names.count)
                try connection.create(
                    Table(
                        table,
                        columns: [.identity("id")]
                            + [sync.old, sync.new, other.old, other.new].map { Column($0, .integer) },
                        primaryKey: ["id"]))
                try connection.installColumnSync(sync)
                try connection.installColumnSync(other)
                try connection.execute(
                    "INSERT INTO \(quoteIdentifier(table)) (\(quoteIdentifier(sync.new)), \(quoteIdentifier(other.old))) VALUES (1, 2)"
                )
                let row = try connection.query("SELECT * FROM \(quoteIdentifier(table))")[0]
                #expect(
                    try [sync.old, sync.new, other.old, other.new].map { try row.decode(Int.self, $0) } == [1, 1, 2, 2])
                #expect(try connection.installedColumnSyncs().map(\.isIntact) == [true, true])
            }
        }
    }
}
