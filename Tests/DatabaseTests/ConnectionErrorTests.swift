import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("Databases that cannot be reached fail with connection errors")
struct ConnectionErrorTests {
    /// PostgreSQL on a port nothing listens on (TCP port 1 on loopback), and on a socket
    /// folder that does not exist.
    @Test(arguments: [
        "postgres://tandem:s3cret@127.0.0.1:1/tandem?connect_timeout=5",
        "postgres://tandem@localhost:5432/tandem?host=/nonexistent-tandem-socket-dir",
    ])
    func unreachablePostgresIsAConnectionError(_ url: String) throws {
        let error = thrownError { _ = try Database(url) }
        let databaseError = try #require(error as? DatabaseError, "\(String(describing: error))")
        #expect(databaseError.kind == .connection)
        #expect(databaseError.dialect == .postgres)
        #expect(databaseError.message.hasPrefix("cannot connect"))
        #expect(!databaseError.description.contains("s3cret"))
    }

    @Test func unopenableSQLiteFileIsAConnectionError() throws {
        let path = "/nonexistent-tandem-dir-\(UUID().uuidString)/test.sqlite3"
        let error = thrownError { _ = try Database("sqlite://" + path) }
        let databaseError = try #require(error as? DatabaseError, "\(String(describing: error))")
        #expect(databaseError.kind == .connection)
        #expect(databaseError.dialect == .sqlite)
        #expect(databaseError.message.contains(path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// PostgreSQL only: a server-side session that is terminated surfaces as a connection error,
    /// and the pool replaces the lost connection with a fresh one.
    @Test func lostPostgresSessionIsAConnectionErrorAndIsReplaced() async throws {
        try await withTestDatabase(.postgres, maximumConnections: 1) { database in
            let victim = try await database.withConnection {
                try $0.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
            }
            let killer = try TestDatabase(.postgres)
            defer { killer.drop() }
            let terminated = try await killer.database.withConnection {
                try $0.query("SELECT pg_terminate_backend($1) AS done", victim)[0].decode(Bool.self, "done")
            }
            #expect(terminated)
            // The backend may take a moment to go; until then the old session can still answer.
            var lost: DatabaseError?
            for _ in 0..<100 where lost == nil {
                do {
                    _ = try await database.withConnection { try $0.query("SELECT 1 AS one") }
                    try await Task.sleep(for: .milliseconds(50))
                } catch let error as DatabaseError {
                    lost = error
                }
            }
            #expect(lost?.kind == .connection)
            let replacement = try await database.withConnection {
                try $0.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
            }
            #expect(replacement != victim)
        }
    }
}
