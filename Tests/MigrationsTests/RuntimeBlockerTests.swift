import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("A step that gives up waiting for a lock names the sessions that held it")
struct RuntimeBlockerTests {
    /// The holder's pid, application name, query start and the start of its query are in the
    /// failure; its bound value is not. PostgreSQL only: SQLite does not say who holds its write
    /// lock (a busy SQLite step is still reported with its attempts).
    @Test func aLockTimeoutNamesTheHolderWithoutItsValues() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_held, columns: [{name: id, type: bigint}, {name: n, type: bigint}], primary_key: [id]}\n"
            ),
            "app/0002_column.yaml": compatibleFile(
                "  - add_column: {table: app_held, column: {name: label, type: text}}\n"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let holder = try Database(test.url, maximumConnections: 1)
        defer { holder.close() }
        let (failure, pid) = try await onThread {
            try holder.withConnection { connection in
                try connection.execute("SET application_name = 'old-release-worker'")
                let pid = try connection.query("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
                let failure = try connection.transaction {
                    _ = try connection.query("SELECT count(*) FROM app_held WHERE n = $1", [.integer(987_654_321)])
                    return thrownError { try migrator.migrate() }
                }
                return (failure.map { "\($0)" }, pid)
            }
        }
        let message = try #require(failure)
        #expect(message.contains("Gave up waiting for a table lock"))
        #expect(message.contains("pid \(pid) (application \"old-release-worker\")"))
        #expect(message.contains("SELECT count(*) FROM app_held WHERE n = $1"))
        #expect(message.contains("query started 20"))
        #expect(!message.contains("987654321"))
        #expect(try ledgerIDs(test.database) == ["app/0001_base"])
    }
}
