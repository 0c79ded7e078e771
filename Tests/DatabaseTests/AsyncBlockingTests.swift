import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("The async API runs database work off Swift's cooperative pool")
struct AsyncBlockingTests {
    /// PostgreSQL only by nature: `pg_sleep` keeps a statement busy in the server without using
    /// the CPU. 8 slow queries on a pool of 12, on a machine whose cooperative pool has as many
    /// threads as cores (two here): all 8 are in flight at once, and an unrelated task's short
    /// sleeps wake on time meanwhile, also while the 8 connections are being opened.
    @Test func slowPostgresQueriesRunTogetherAndOtherTasksStayOnTime() async throws {
        try await withTestDatabase(.postgres, maximumConnections: 12) { database in
            let clock = ContinuousClock()
            let run = try await Self.measure(attempts: 3) {
                var elapsed = Duration.zero
                let lateness = try await sleepLateness {
                    // Opening connections (the server forks a process for each) is timed apart.
                    try await Self.concurrently(8) {
                        _ = try await database.withConnection { try $0.query("SELECT 1 AS one") }
                    }
                    let start = clock.now
                    try await Self.concurrently(8) {
                        _ = try await database.withConnection { try $0.query("SELECT pg_sleep(1.5)") }
                    }
                    elapsed = clock.now - start
                }
                return (elapsed, lateness)
            } isOnTime: { elapsed, lateness in
                elapsed < .seconds(3) && lateness.worst < .milliseconds(500)
            }
            #expect(run.elapsed >= .seconds(1.5))
            #expect(run.elapsed < .seconds(3), "8 queries of 1.5 s on 12 connections took \(run.elapsed)")
            #expect(run.lateness.ticks >= 20)
            #expect(run.lateness.worst < .milliseconds(500), "a 20 ms sleep woke \(run.lateness.worst) late")
        }
    }

    /// Runs a timing measurement up to `attempts` times and returns the first on time, else the
    /// last. Other tests of the same process may block the cooperative pool for seconds (blocking
    /// calls in their async bodies), which delays this test's tasks whatever the database does;
    /// a database layer that blocks the pool itself is late on every attempt.
    static func measure(
        attempts: Int, _ run: () async throws -> (elapsed: Duration, lateness: (worst: Duration, ticks: Int)),
        isOnTime: (Duration, (worst: Duration, ticks: Int)) -> Bool
    ) async throws -> (elapsed: Duration, lateness: (worst: Duration, ticks: Int)) {
        var result = try await run()
        for _ in 1..<attempts where !isOnTime(result.elapsed, result.lateness) {
            result = try await run()
        }
        return result
    }

    static func concurrently(_ count: Int, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count { group.addTask { try await body() } }
            try await group.waitForAll()
        }
    }

    /// SQLite's counterpart: a writer holding a long transaction and two slow statements, more
    /// bodies than the cooperative pool has threads, do not stall an unrelated task's sleeps.
    @Test func busySQLiteWriterAndSlowStatementsDoNotStallOtherTasks() async throws {
        try await withTestDatabase(.sqliteFile, maximumConnections: 4) { database in
            try await database.withConnection { try $0.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)") }
            let clock = ContinuousClock()
            let written = Locked(0)
            let run = try await Self.measure(attempts: 3) {
                let start = clock.now
                let lateness = try await sleepLateness {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            try await database.transaction { connection in
                                let n = written.withLock {
                                    $0 += 2
                                    return $0
                                }
                                try connection.execute("INSERT INTO item (n) VALUES ($1)", n - 1)
                                Thread.sleep(forTimeInterval: 1.5)
                                try connection.execute("INSERT INTO item (n) VALUES ($1)", n)
                            }
                        }
                        for _ in 0..<2 {
                            group.addTask {
                                _ = try await database.withConnection { connection in
                                    try connection.query(
                                        """
                                        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000)
                                        SELECT count(*) AS n FROM c
                                        """)
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                return (clock.now - start, lateness)
            } isOnTime: { _, lateness in
                lateness.worst < .milliseconds(500)
            }
            #expect(run.elapsed >= .seconds(1.5))
            #expect(run.lateness.ticks >= 20)
            #expect(run.lateness.worst < .milliseconds(500), "a 20 ms sleep woke \(run.lateness.worst) late")
            let items = try await database.withConnection { try $0.query("SELECT n FROM item ORDER BY n") }
            #expect(try items.map { try $0.decode(Int.self, "n") } == Array(1...written.withLock { $0 }))
        }
    }

    /// A session runs its task on its connection's thread, so its calls block that thread and
    /// not Swift's cooperative pool: three sessions, more than the pool has threads here, each
    /// running two slow statements with a sleep between them, do not stall an unrelated task's
    /// sleeps (PostgreSQL: `pg_sleep`; SQLite: a slow recursive query).
    @Test(arguments: TestDatabaseKind.engines)
    func slowSessionsDoNotStallOtherTasks(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 4) { database in
            let slow =
                kind == .postgres
                ? "SELECT pg_sleep(0.7) AS n"
                : "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) AS n FROM c"
            let clock = ContinuousClock()
            let run = try await Self.measure(attempts: 3) {
                var elapsed = Duration.zero
                let lateness = try await sleepLateness {
                    // Opening connections (the server forks a process for each) is timed apart.
                    try await Self.concurrently(3) {
                        try await database.withSession { connection in
                            _ = try await connection.perform { try $0.query("SELECT 1 AS one") }
                        }
                    }
                    let start = clock.now
                    try await Self.concurrently(3) {
                        try await database.withSession { connection in
                            _ = try await connection.perform { try $0.query(slow) }
                            try await Task.sleep(for: .milliseconds(10))
                            _ = try await connection.perform { try $0.query(slow) }
                        }
                    }
                    elapsed = clock.now - start
                }
                return (elapsed, lateness)
            } isOnTime: { elapsed, lateness in
                (kind != .postgres || elapsed < .seconds(2.8)) && lateness.worst < .milliseconds(500)
            }
            if kind == .postgres {
                #expect(run.elapsed < .seconds(2.8), "3 sessions of 2 × 0.7 s on 4 connections took \(run.elapsed)")
            }
            #expect(run.lateness.ticks >= 20)
            #expect(run.lateness.worst < .milliseconds(500), "a 20 ms sleep woke \(run.lateness.worst) late")
        }
    }

    /// Cancelling the awaiting task does not interrupt the body: it runs to completion, the task
    /// gets its result, and the connection (the pool's only one) comes back.
    @Test(arguments: TestDatabaseKind.allCases)
    func cancelledCallerLetsTheBodyFinishAndTheConnectionComeBack(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            try await database.withConnection { try $0.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)") }
            let started = Locked(false)
            let task = Task {
                try await database.withConnection { connection in
                    started.withLock { $0 = true }
                    Thread.sleep(forTimeInterval: 0.2)
                    return try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                }
            }
            while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            task.cancel()
            #expect(try await task.value == 1)
            let items = try await database.withConnection { try $0.query("SELECT n FROM item") }
            #expect(try items.map { try $0.decode(Int.self, "n") } == [1])
        }
    }

    /// Bodies given to one connection's `perform` run one at a time, in a transaction each, and
    /// their results and errors come back to the awaiting tasks.
    @Test(arguments: TestDatabaseKind.allCases)
    func performSerialisesBodiesOnOneConnection(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let connection = try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)")
                return connection
            }
            let inUse = Locked((now: 0, peak: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        for n in 0..<10 {
                            let inserted = try await connection.perform { connection in
                                inUse.withLock {
                                    $0.now += 1
                                    $0.peak = max($0.peak, $0.now)
                                }
                                defer { inUse.withLock { $0.now -= 1 } }
                                return try connection.transaction {
                                    let count = try connection.execute(
                                        "INSERT INTO item (n) VALUES ($1)", task * 100 + n)
                                    Thread.sleep(forTimeInterval: 0.002)
                                    return count
                                }
                            }
                            #expect(inserted == 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inUse.withLock { $0.peak } == 1)
            let error = await thrownError {
                try await connection.perform { _ = try $0.execute("INSERT INTO item (n) VALUES ($1)", 0) }
            }
            #expect((error as? DatabaseError)?.isUniqueViolation == true)
            let count = try await connection.perform {
                try $0.query("SELECT count(*) AS n FROM item")[0].decode(Int.self, "n")
            }
            #expect(count == 40)
        }
    }
}
