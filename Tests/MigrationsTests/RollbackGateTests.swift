import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("--to refuses to undo a migration a live process's release ships")
struct RollbackGateTests {
    private static let files = [
        "app/0001_base.yaml": compatibleFile(
            "  - create_table: {name: app_doc, columns: [{name: id, type: bigint}], primary_key: [id]}\n"),
        "app/0002_title.yaml": compatibleFile(
            "  - add_column: {table: app_doc, column: {name: title, type: text}}\n", release: "1.1.0"),
    ]

    @Test(arguments: TestDatabaseKind.engines)
    func aLiveProcessOfTheNewReleaseBlocksTheRollback(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations(Self.files)
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            var settings = quickSettings
            settings.gateWait = .zero
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate()
            try register("api", versions: ["app": "1.1.0"], on: database, pid: 5151)
            try register("worker", versions: ["app": "1.0.0"], on: database, pid: 5252)
            let back = MigrationRequest(target: MigrationTarget(parsing: "app/0001"))
            let refusal = try #require(thrownError { try migrator.migrate(back) } as? MigrationRefusal)
            guard case .rollbackInUse(let blockers) = refusal.reason else {
                Issue.record("expected a rollback refusal, got \(refusal.reason)")
                return
            }
            #expect(blockers.map(\.process.pid) == [5151])
            #expect(blockers.map(\.migration.description) == ["app/0002_title"])
            #expect(refusal.message.contains("pid 5151"))
            #expect(!refusal.message.contains("pid 5252"))
            #expect(refusal.message.contains("--wait-for-gate"))
            #expect(try ledgerIDs(database) == ["app/0001_base", "app/0002_title"])

            // Once that process's heartbeat is stale, the rollback goes through.
            try database.withConnection { connection in
                let past =
                    connection.dialect == .postgres
                    ? "CURRENT_TIMESTAMP - interval '1 hour'" : "strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-3600 seconds')"
                try connection.execute("UPDATE tandem_components SET last_heartbeat = \(past) WHERE pid = 5151")
            }
            let report = try migrator.migrate(back)
            #expect(report.undone.map(\.description) == ["app/0002_title"])
            #expect(try ledgerIDs(database) == ["app/0001_base"])
        }
    }
}
