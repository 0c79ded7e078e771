import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// Issue 14, item 1: the statement of a killed runner does not run on as an orphan.
@Suite("A killed runner's statement stops on the server")
struct KillAnywhereOrphanTests {
    // PostgreSQL only by nature: SQLite runs in the runner's process, and dies with it.
    @Test func theServerCancelsTheStatementOfAKilledRunnerWithinSeconds() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("app"), withIntermediateDirectories: true)
            try Data(
                """
                release: "1.0.0"
                phase: compatible
                operations:
                  - sql:
                      phase: compatible
                      up: CREATE TABLE slow AS SELECT 1 AS s FROM pg_sleep(60)
                      down: DROP TABLE slow

                """.utf8
            ).write(to: folder.appendingPathComponent("app/0001_slow.yaml"))
            let session = "tandem-orphan-\(UUID().uuidString.prefix(8))"
            let process = try BackgroundTandem([
                "migrate", "--database", test.url + "&application_name=" + session, "--migrations", folder.path,
            ])
            let running =
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'CREATE TABLE slow%'"
            let started = ContinuousClock.now
            while try count(running, session, on: test.database) == 0 {
                try #require(process.isRunning && started.duration(to: .now) < .seconds(30), "the statement never ran")
                blockingSleep(0.02)
            }
            #expect(process.kill() == nil)
            let killed = ContinuousClock.now
            while try count(running, session, on: test.database) > 0 && killed.duration(to: .now) < .seconds(20) {
                blockingSleep(0.05)
            }
            // client_connection_check_interval is 1 s: well within 10 s, far from the statement's 60 s.
            #expect(killed.duration(to: .now) < .seconds(10))
            #expect(try count(running, session, on: test.database) == 0)
        }
    }

    private func count(_ sql: String, _ session: String, on database: Database) throws -> Int {
        try database.withConnection { try $0.query(sql, [.text(session)])[0].decode(Int.self, at: 0) }
    }
}
