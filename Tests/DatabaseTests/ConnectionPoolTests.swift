import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("The connection pool under concurrency")
struct ConnectionPoolTests {
    static let tasks = 8
    static let insertsPerTask = 500

    /// 8 tasks × 500 inserts, each through its own `withConnection`, on a pool of 4: every row
    /// arrives, and no more than 4 connections are ever in use at once.
    @Test(arguments: TestDatabaseKind.engines)
    func concurrentInsertsLoseNoRow(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 4) { database in
            #expect(database.maximumConnections == 4)
            try await database.withConnection {
                try $0.executeScript(
                    "CREATE TABLE hit (task BIGINT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (task, n))")
            }
            let inUse = Locked((now: 0, peak: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<Self.tasks {
                    group.addTask {
                        for n in 0..<Self.insertsPerTask {
                            try await database.withConnection { connection in
                                inUse.withLock {
                                    $0.now += 1; $0.peak = max($0.peak, $0.now)
                                }
                                defer { inUse.withLock { $0.now -= 1 } }
                                try connection.execute("INSERT INTO hit (task, n) VALUES ($1, $2)", task, n)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inUse.withLock { $0.peak } <= 4)
            let rows = try await database.withConnection { connection in
                try connection.query(
                    "SELECT task, count(*) AS hits, sum(n) AS total FROM hit GROUP BY task ORDER BY task")
            }
            #expect(try rows.map { try $0.decode(Int.self, "task") } == Array(0..<Self.tasks))
            for row in rows {
                #expect(try row.decode(Int.self, "hits") == Self.insertsPerTask)
                #expect(try row.decode(Int.self, "total") == (0..<Self.insertsPerTask).reduce(0, +))
            }
        }
    }

    /// Blocking callers on several threads share the pool too, and each transaction stays on
    /// its own connection: no increment is lost.
    @Test(arguments: TestDatabaseKind.engines)
    func concurrentTransactionsFromBlockingCallers(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 3) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT)")
                try connection.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
            }
            let threads = 6
            let increments = 50
            let failures = Locked<[String]>([])
            let increment: @Sendable () -> Void = {
                for _ in 0..<increments {
                    do {
                        try database.transaction { connection in
                            try connection.execute("UPDATE counter SET value = value + 1 WHERE id = 1")
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            await onThreads(Array(repeating: increment, count: threads))
            #expect(failures.withLock { $0 } == [])
            let value = try await database.withConnection {
                try $0.query("SELECT value FROM counter")[0].decode(Int.self, "value")
            }
            #expect(value == threads * increments)
        }
    }

    /// An async body that leaves its connection inside a transaction (a raw `BEGIN`) gets it
    /// closed, on its own thread, and the pool's only place goes to a fresh connection: its
    /// uncommitted row is gone and the next caller's write commits on its own.
    @Test(arguments: TestDatabaseKind.engines)
    func connectionLeftInATransactionIsReplaced(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)")
            }
            try await database.withConnection { connection in
                try connection.executeScript("BEGIN")
                try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
            }
            let rows = try await database.withConnection { connection in
                try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                return try connection.query("SELECT n FROM item")
            }
            #expect(rows.map { $0["n"] } == [.integer(2)])
        }
    }

    @Test func inMemorySQLiteHasOneConnection() throws {
        let database = try Database("sqlite::memory:", maximumConnections: 4)
        defer { database.close() }
        #expect(database.maximumConnections == 1)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func closedDatabaseRefusesWork(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        test.database.close()
        let blocking = thrownError { try test.database.withConnection { _ in } }
        #expect(blocking.map { "\($0)" } == "the database was closed")
        let suspending = await thrownError { try await test.database.withConnection { _ in } }
        #expect(suspending.map { "\($0)" } == "the database was closed")
    }
}
