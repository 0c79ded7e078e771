import Foundation
import Synchronization
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

@Suite("Backfill: concurrent writers and lock waits")
struct BackfillConcurrencyTests {
    @Test(
        "writers updating random rows during a backfill are not blocked long and lose no write",
        arguments: TestDatabaseKind.engines)
    func concurrentWriters(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 5) { database in
            try await database.withConnection { try BackfillFixture.makeItems(3000, on: $0) }
            let running = Atomic<Bool>(true)
            let writes = Atomic<Int>(0)
            let writesDuringBackfill = Atomic<Int>(0)
            let backfilling = Atomic<Bool>(false)
            let slowest = Mutex<Duration>(.zero)
            let writers = (0..<3).map { _ in
                Thread.detachNewThreadWithResult {
                    try database.withConnection { connection in
                        let p = connection.dialect.placeholder
                        while running.load(ordering: .relaxed) {
                            let started = ContinuousClock.now
                            try connection.execute(
                                "UPDATE item SET w = w + 1 WHERE id = \(p(1))", [.integer(Int64.random(in: 1...3000))])
                            let took = ContinuousClock.now - started
                            slowest.withLock { $0 = max($0, took) }
                            writes.add(1, ordering: .relaxed)
                            if backfilling.load(ordering: .relaxed) { writesDuringBackfill.add(1, ordering: .relaxed) }
                        }
                    }
                }
            }
            let result = try await database.withConnection { connection in
                backfilling.store(true, ordering: .relaxed)
                defer { backfilling.store(false, ordering: .relaxed) }
                return try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 100, throttle: .milliseconds(10))
                ).run(BackfillFixture.counting, job: BackfillFixture.job())
            }
            running.store(false, ordering: .relaxed)
            for writer in writers { try await writer.value }
            try await database.withConnection { connection in
                #expect(try BackfillFixture.counters(on: connection) == [1: 3000])
                let total = try connection.query("SELECT sum(w) FROM item")[0].decode(Int.self, at: 0)
                #expect(total == writes.load(ordering: .relaxed))
            }
            #expect(result.batches == 31)
            // Writers kept going while the backfill ran, each waiting at most about one batch.
            #expect(writesDuringBackfill.load(ordering: .relaxed) > 30)
            #expect(slowest.withLock { $0 } < .seconds(2))
        }
    }

    @Test(
        "a batch that cannot get its locks in time is retried, then the backfill finishes",
        arguments: TestDatabaseKind.engines)
    func lockTimeoutRetried(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind, maximumConnections: 2)
        defer { testDatabase.drop() }
        try await testDatabase.database.withConnection { try BackfillFixture.makeItems(300, on: $0) }
        // The backfill's own database waits only 50 ms for SQLite's write lock.
        let impatient = try Database(
            url: DatabaseURL(testDatabase.url), maximumConnections: 1, busyTimeout: .milliseconds(50))
        defer { impatient.close() }
        let log = StatementLog()
        let settings = BackfillSettings(
            batchSize: 100, lockTimeout: .milliseconds(50), attempts: 100, retryDelay: .milliseconds(20))
        let retried: @Sendable () -> Bool = {
            log.statements.contains { $0.contains(": attempt 1 failed") && $0.contains("retrying in") }
        }
        let holder = try await holdingRowLock(on: testDatabase.database, until: retried)
        let result = try await Thread.detachNewThreadWithResult {
            try impatient.withConnection { connection in
                try Backfiller(connection: connection, settings: settings, logger: log.logger)
                    .run(BackfillFixture.counting, job: BackfillFixture.job())
            }
        }.value
        try await holder.value
        #expect(result.isFinished && result.rowsDone == 300)
        #expect(retried())
        try await testDatabase.database.withConnection { connection throws in
            #expect(try BackfillFixture.counters(on: connection) == [1: 300])
        }
    }

    @Test(
        "a batch still locked out after every attempt fails the backfill, checkpoint intact",
        arguments: TestDatabaseKind.engines)
    func lockTimeoutGivesUp(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind, maximumConnections: 2)
        defer { testDatabase.drop() }
        try await testDatabase.database.withConnection { try BackfillFixture.makeItems(300, on: $0) }
        let impatient = try Database(
            url: DatabaseURL(testDatabase.url), maximumConnections: 1, busyTimeout: .milliseconds(50))
        defer { impatient.close() }
        let settings = BackfillSettings(
            batchSize: 100, lockTimeout: .milliseconds(50), attempts: 2, retryDelay: .milliseconds(10))
        let finished = Atomic<Bool>(false)
        let holder = try await holdingRowLock(on: testDatabase.database) {
            finished.load(ordering: .sequentiallyConsistent)
        }
        let error = try await Thread.detachNewThreadWithResult {
            defer { finished.store(true, ordering: .sequentiallyConsistent) }
            return impatient.thrownError { connection in
                try Backfiller(connection: connection, settings: settings).run(
                    BackfillFixture.counting, job: BackfillFixture.job())
            }
        }.value
        try await holder.value
        let failure = try #require(error as? BackfillError)
        #expect((failure.underlying as? DatabaseError)?.isLockTimeout == true)
        #expect(failure.message.contains("failed after 2 attempt(s)"))
        try await testDatabase.database.withConnection { connection throws in
            #expect(try BackfillFixture.counters(on: connection) == [0: 300])
            #expect(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection)?.rowsDone ?? 0 == 0)
        }
    }

    /// Starts a thread that locks item 50 (PostgreSQL: the row; SQLite: the database, for
    /// writing) until `release` returns true, and returns once the lock is held.
    private func holdingRowLock(on database: Database, until release: @escaping @Sendable () -> Bool) async throws
        -> Task<Void, any Error>
    {
        let held = Atomic<Bool>(false)
        let task = Thread.detachNewThreadWithResult {
            try database.withConnection { connection in
                try connection.transaction {
                    try connection.execute("UPDATE item SET w = w + 1 WHERE id = 50")
                    held.store(true, ordering: .sequentiallyConsistent)
                    while !release() { Thread.sleep(forTimeInterval: 0.005) }
                }
            }
        }
        while !held.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(5)) }
        return task
    }
}

extension Database {
    /// The error `body` throws on a connection of this database, or nil when it returns.
    func thrownError(_ body: (Connection) throws -> BackfillProgress) -> (any Error)? {
        do {
            _ = try withConnection(body)
            return nil
        } catch {
            return error
        }
    }
}

extension Thread {
    /// Runs `body` on a new thread (blocking database calls stay off the cooperative pool) and
    /// returns a task that completes with its result.
    static func detachNewThreadWithResult<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Task<T, any Error>
    {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        return Task.detached {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    done.wait()
                    continuation.resume()
                }
            }
            return try result.withLock { $0! }.get()
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
