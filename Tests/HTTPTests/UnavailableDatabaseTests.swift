import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import TandemDatabase
import TandemHTTP
import TandemTesting
import Testing

/// A request that meets another session's lock past the lock timeout (a migration's, a long
/// transaction's) or a lost connection answers 503 with `Retry-After`, changes nothing, and the
/// same request goes through once the database is back: a client is told to come back, not that
/// the server is broken.
@Suite("REST: a busy or unreachable database answers 503")
struct UnavailableDatabaseTests {
    static let create = #"{"name": "busy", "url": "https://example.com/busy/"}"#

    @Test(arguments: TestDatabaseKind.engines)
    func aRequestThatMeetsALockPastItsTimeoutAnswers503AndChangesNothing(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try await test.database.withConnection { try createTestTables($0) }
        // The API's sessions give up on a lock after 200 ms; the holder's wait as long as they must.
        let impatient = try test.openImpatient()
        defer { impatient.close() }
        let app = Application(router: try makeTestAPI(impatient).router())
        try await app.test(.router) { client in
            let released = Atomic<Bool>(false)
            let holder = try await holdingLocks(
                on: test.database,
                { connection in
                    // PostgreSQL: what a migration's ALTER TABLE takes. SQLite: the write lock.
                    try connection.executeScript(
                        connection.dialect == .postgres
                            ? "LOCK TABLE core_remote IN ACCESS EXCLUSIVE MODE" : "CREATE TABLE lock_holder (x INTEGER)"
                    )
                }, until: { released.load(ordering: .sequentiallyConsistent) })
            let refused = try await client.json(.post, fileRemotesPath, Self.create)
            let refusedInGerman = try await client.json(
                .post, fileRemotesPath, Self.create, headers: [.acceptLanguage: "de"])
            var unavailable = [refused, refusedInGerman]
            // PostgreSQL only: SQLite's readers (WAL) never wait for a writer.
            if kind == .postgres { unavailable.append(try await client.json(.get, fileRemotesPath)) }
            released.store(true, ordering: .sequentiallyConsistent)
            _ = try await holder.value

            for response in unavailable {
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.headers[.contentType] == "application/json")
            }
            #expect(refused.json["detail"]?.string == "The database is busy or unreachable; try again shortly.")
            #expect(
                refusedInGerman.json["detail"]?.string
                    == "Die Datenbank ist ausgelastet oder nicht erreichbar; versuchen Sie es gleich noch einmal.")
            let left = try await test.database.withConnection { try $0.query("SELECT name FROM core_remote") }
            #expect(left.isEmpty, "a refused request left rows behind")

            let retried = try await client.json(.post, fileRemotesPath, Self.create)
            #expect(retried.status == .created)
            let listed = try await client.json(.get, fileRemotesPath)
            #expect(listed.json["count"]?.int == 1)
        }
    }

    /// PostgreSQL only by nature: a SQLite connection is a file handle, which no other session
    /// can take away.
    @Test func aRequestOnAConnectionTheServerEndedAnswers503AndTheNextOneIsServed() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try await test.database.withConnection { try createTestTables($0) }
        let served = try Database(url: DatabaseURL(test.url), maximumConnections: 1)
        defer { served.close() }
        let app = Application(router: try makeTestAPI(served).router())
        try await app.test(.router) { client in
            let first = try await client.json(.post, fileRemotesPath, Self.create)
            #expect(first.status == .created)
            let backend = try await served.withConnection { try $0.query("SELECT pg_backend_pid() AS pid") }
            let pid = try #require(backend.first).decode(Int.self, "pid")
            let ended = try await test.database.withConnection {
                try $0.query("SELECT pg_terminate_backend($1, 5000) AS ended", [.integer(Int64(pid))])
            }
            #expect(try ended.first?.decode(Bool.self, "ended") == true)

            let lost = try await client.json(.get, fileRemotesPath)
            #expect(lost.status == .serviceUnavailable)
            #expect(lost.headers[.retryAfter] == "1")
            #expect(lost.json["detail"]?.string == "The database is busy or unreachable; try again shortly.")
            let next = try await client.json(.get, fileRemotesPath)
            #expect(next.status == .ok)
            #expect(next.json["count"]?.int == 1)
        }
    }
}
