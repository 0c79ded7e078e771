import Foundation
import TandemTesting
import Testing

@testable import TandemDatabase

/// `Database.withSession` holds one connection for an async body and runs the body's task on
/// that connection's thread, so its database calls run where the task is.
@Suite("Async sessions run their task on their connection's thread")
struct SessionTests {
    /// Inside a session, the task, its calls on the session's connection, and its child tasks run
    /// on the connection's thread, also after a suspension; outside one, a call's body runs on
    /// the connection's thread while the caller is elsewhere.
    @Test(arguments: TestDatabaseKind.allCases)
    func aSessionsCallsRunWhereItsTaskRuns(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let threads = try await database.withSession { connection in
                let task = pthread_self()
                let onConnectionThread = connection.thread.isCurrent
                let body = try await connection.perform { connection in
                    (pthread_self(), try connection.query("SELECT 1 AS one")[0].decode(Int.self, "one"))
                }
                try await Task.sleep(for: .milliseconds(5))
                let afterSleep = pthread_self()
                async let child = { pthread_self() }()
                return (task, onConnectionThread, body, afterSleep, await child)
            }
            #expect(threads.1, "the session's task ran off its connection's thread")
            #expect(threads.2.1 == 1)
            #expect(threads.2.0 == threads.0, "a call on the session's connection was handed to another thread")
            #expect(threads.3 == threads.0, "the task left its connection's thread after a sleep")
            #expect(threads.4 == threads.0, "a child task of the session ran on another thread")

            let caller = pthread_self()
            let body = try await database.withConnection { _ in pthread_self() }
            #expect(body != caller, "outside a session, a body ran on its caller's thread")
        }
    }

    /// A session holds its connection until its body ends, across suspensions: on a pool of one,
    /// a second session's first statement comes after the first session's last.
    @Test(arguments: TestDatabaseKind.allCases)
    func aSessionHoldsItsConnectionUntilItsBodyEnds(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            try await database.withConnection {
                try $0.executeScript("CREATE TABLE step (n BIGINT PRIMARY KEY, session TEXT NOT NULL)")
            }
            let firstStarted = Locked(false)
            let counter = Locked(0)
            @Sendable func record(_ session: String, on connection: Connection) async throws {
                let n = counter.withLock {
                    $0 += 1
                    return $0
                }
                try await connection.perform {
                    _ = try $0.execute("INSERT INTO step (n, session) VALUES ($1, $2)", n, session)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await database.withSession { connection in
                        try await record("first", on: connection)
                        firstStarted.withLock { $0 = true }
                        try await Task.sleep(for: .milliseconds(150))
                        try await record("first", on: connection)
                    }
                }
                group.addTask {
                    while !firstStarted.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
                    try await database.withSession { connection in
                        try await record("second", on: connection)
                        try await record("second", on: connection)
                    }
                }
                try await group.waitForAll()
            }
            let steps = try await database.withConnection { try $0.query("SELECT session FROM step ORDER BY n") }
            #expect(try steps.map { try $0.decode(String.self, "session") } == ["first", "first", "second", "second"])
        }
    }

    /// A session's error reaches its caller and its connection goes back to the pool; one left in
    /// a transaction is replaced, so its uncommitted row is gone.
    @Test(arguments: TestDatabaseKind.engines)
    func aSessionsErrorsAndOpenTransactionsDoNotKeepItsConnection(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            try await database.withConnection { try $0.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)") }
            let error = await thrownError {
                try await database.withSession { connection in
                    try await connection.perform { _ = try $0.execute("INSERT INTO item (n) VALUES ($1)", 1) }
                    try await connection.perform { _ = try $0.execute("INSERT INTO item (n) VALUES ($1)", 1) }
                }
            }
            #expect((error as? DatabaseError)?.isUniqueViolation == true)
            try await database.withSession { connection in
                try await connection.perform { connection in
                    try connection.executeScript("BEGIN")
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                }
            }
            let items = try await database.withSession { connection in
                try await connection.perform { try $0.query("SELECT n FROM item ORDER BY n") }
            }
            #expect(try items.map { try $0.decode(Int.self, "n") } == [1])
        }
    }
}
