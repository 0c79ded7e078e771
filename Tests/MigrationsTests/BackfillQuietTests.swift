import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("The expand step's backfill leaves the application's data alone: its own triggers do not fire")
struct BackfillQuietTests {
    /// 120 rows, a `touch()`-like UPDATE trigger of the application counting writes in `touched`,
    /// then a rename and a type change: the backfill fills both new columns and touches no row.
    @Test(arguments: TestDatabaseKind.engines)
    func theBackfillFiresNoApplicationTrigger(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_raw.yaml": compatibleFile(Self.rawTable(kind)),
            "app/0002_change.yaml": compatibleFile(Self.changes, release: "1.1.0"),
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: Self.smallBatches)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try Self.fill(database, rows: 120)
            #expect(try Self.touched(database) == [0], "filling the table fires no update trigger")

            try migrator.migrate()
            let rows = try database.withConnection { connection in
                try connection.query("SELECT id, label, title, size_num, touched FROM app_item ORDER BY id")
            }
            #expect(rows.count == 120)
            for row in rows {
                let id = try row.decode(Int.self, "id")
                #expect(try row.decode(String.self, "title") == "item \(id)")
                #expect(try row.decode(Int.self, "size_num") == id)
                #expect(try row.decode(Int.self, "touched") == 0, "the backfill touched row \(id)")
            }
            try database.withConnection { connection in
                _ = try connection.execute("UPDATE app_item SET label = 'renamed' WHERE id = 7")
            }
            #expect(try Self.touched(database, id: 7) == [1], "the application's trigger is back and fires")
            #expect(try Self.title(database, id: 7) == "renamed", "the dual-write trigger still fires")
        }
    }

    /// A role that may not set `session_replication_role` still gets a correct backfill; the
    /// application's UPDATE triggers fire then, as the warning and the documentation say.
    /// PostgreSQL only by nature: roles and the parameter exist only there.
    @Test func withoutThePrivilegeTheBackfillFallsBackAndStillFillsTheColumn() throws {
        let scratch = try ScratchMigrations([
            "app/0001_raw.yaml": compatibleFile(Self.rawTable(.postgres)),
            "app/0002_change.yaml": compatibleFile(Self.changes, release: "1.1.0"),
        ])
        defer { scratch.remove() }
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let role = "tandem_quiet_" + UUID().uuidString.prefix(8).lowercased()
        try test.database.withConnection { connection in
            _ = try connection.execute("CREATE ROLE \(quoteIdentifier(role)) LOGIN")
            let schema = try Self.schema(connection)
            _ = try connection.execute(
                "GRANT USAGE, CREATE ON SCHEMA \(quoteIdentifier(schema)) TO \(quoteIdentifier(role))")
        }
        defer {
            _ = try? test.database.withConnection { connection in
                _ = try connection.execute("DROP OWNED BY \(quoteIdentifier(role))")
                _ = try connection.execute("DROP ROLE \(quoteIdentifier(role))")
            }
        }
        let unprivileged = try Database(Self.url(test.url, user: role), maximumConnections: 2)
        defer { unprivileged.close() }
        let migrator = Migrator(database: unprivileged, migrations: try scratch.set(), settings: Self.smallBatches)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try Self.fill(unprivileged, rows: 30)
        try migrator.migrate()
        let rows = try unprivileged.withConnection { connection in
            try connection.query("SELECT id, title, size_num, touched FROM app_item ORDER BY id")
        }
        #expect(rows.count == 30)
        for row in rows {
            let id = try row.decode(Int.self, "id")
            #expect(try row.decode(String.self, "title") == "item \(id)")
            #expect(try row.decode(Int.self, "size_num") == id)
        }
        #expect(try Self.touched(unprivileged).allSatisfy { $0 > 0 }, "without the privilege the triggers fire")
    }

    /// Batches of 25 rows, so the backfill runs several batches.
    static let smallBatches: MigrationSettings = {
        var settings = quickSettings
        settings.backfill.batchSize = 25
        return settings
    }()

    static let changes = """
          - rename_column: {table: app_item, from: label, to: title}
          - change_type: {table: app_item, column: size, to: size_num, type: integer, up: "CAST(size AS INTEGER)", down: "CAST(size_num AS TEXT)"}

        """

    /// The application's table and its trigger, made as an application would, in raw SQL.
    static func rawTable(_ kind: TestDatabaseKind) -> String {
        let table =
            "  - sql: {up: \"CREATE TABLE app_item (id BIGINT PRIMARY KEY, label TEXT NOT NULL, size TEXT, touched INTEGER NOT NULL DEFAULT 0)\", down: \"DROP TABLE app_item\", phase: compatible}\n"
        let trigger =
            kind == .postgres
            ? """
              - sql:
                  phase: compatible
                  up: |
                    CREATE FUNCTION app_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := OLD.touched + 1; RETURN NEW; END $$;
                    CREATE TRIGGER app_item_touch BEFORE UPDATE ON app_item FOR EACH ROW EXECUTE FUNCTION app_touch()
                  down: "DROP TRIGGER app_item_touch ON app_item; DROP FUNCTION app_touch()"

            """
            : """
              - sql:
                  phase: compatible
                  up: "CREATE TRIGGER app_item_touch AFTER UPDATE OF label, size ON app_item BEGIN UPDATE app_item SET touched = touched + 1 WHERE id = NEW.id; END"
                  down: "DROP TRIGGER app_item_touch"

            """
        return table + trigger
    }

    static func fill(_ database: Database, rows: Int) throws {
        try database.transaction { connection in
            for id in 1...rows {
                _ = try connection.execute(
                    "INSERT INTO app_item (id, label, size) VALUES ($1, $2, $3)",
                    [.integer(Int64(id)), .text("item \(id)"), .text(String(id))])
            }
        }
    }

    /// The distinct `touched` counts, or one row's.
    static func touched(_ database: Database, id: Int? = nil) throws -> [Int] {
        try database.withConnection { connection in
            let rows =
                if let id {
                    try connection.query("SELECT touched FROM app_item WHERE id = $1", [.integer(Int64(id))])
                } else {
                    try connection.query("SELECT DISTINCT touched FROM app_item ORDER BY touched")
                }
            return try rows.map { try $0.decode(Int.self, "touched") }
        }
    }

    static func title(_ database: Database, id: Int) throws -> String? {
        try database.withConnection { connection in
            try connection.query("SELECT title FROM app_item WHERE id = $1", [.integer(Int64(id))]).first?
                .decode(String?.self, "title")
        }
    }

    static func schema(_ connection: Connection) throws -> String {
        try connection.query("SELECT current_schema() AS name")[0].decode(String.self, "name")
    }

    /// `url` with its user replaced by `user` (the test server trusts every local user).
    static func url(_ url: String, user: String) throws -> String {
        var components = try #require(URLComponents(string: url), "the test database URL reads as a URL")
        components.user = user
        components.password = nil
        return try #require(components.string)
    }
}
