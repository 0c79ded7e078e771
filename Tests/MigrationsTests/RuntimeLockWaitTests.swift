import Foundation
import Synchronization
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

// Serialized: the PostgreSQL tests recognise the migration's waiting statement by its table's name.
@Suite("Writers never wait long behind a migration's lock (default settings)", .serialized)
struct RuntimeLockWaitTests {
    private static let files = [
        "app/0001_base.yaml": compatibleFile(
            "  - create_table: {name: app_item, columns: [{name: id, type: bigint}, {name: n, type: bigint}], primary_key: [id]}\n"
        ),
        "app/0002_column.yaml": compatibleFile(
            "  - add_column: {table: app_item, column: {name: label, type: text}}\n"),
    ]

    /// The scenario, not tightly timed: writers update the table while a long read-only
    /// transaction holds it and `add_column` runs with the default settings. Writers stall for
    /// about one lock attempt (150 ms), never the old 2 s, and the migration goes through once
    /// the reader ends. PostgreSQL only: only its lock queue makes writers wait behind a waiting
    /// ALTER TABLE (SQLite has no lock queue; see the next test).
    @Test func writersKeepMovingWhileAddColumnWaitsForALongReader() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations(Self.files)
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set())
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try await test.database.withConnection { connection in
            try connection.execute("INSERT INTO app_item (id, n) SELECT g, 0 FROM generate_series(1, 1000) AS g")
        }
        let stop = WritersStop()
        let writers = (0..<2).map { _ in
            Task.detached {
                try await onThread { try Self.write(test.url, until: stop) }
            }
        }
        let reader = try Database(test.url, maximumConnections: 1)
        defer { reader.close() }
        let (reading, readerEnd) = Self.holdTable(reader, afterTheMigrationWaitsFor: 1)
        try await onThread { reading.wait() }
        let report = try await onThread { try migrator.migrate() }
        let migrationEnd = ContinuousClock.now
        let readerEnded = try await readerEnd.value
        stop.raise()
        var longest = Duration.zero
        for writer in writers { longest = max(longest, try await writer.value) }

        #expect(report.applied.map(\.description) == ["app/0002_column"])
        let locks = try #require(report.runs.first?.locks)
        #expect(locks.attempts >= 2, "the reader held the table 1 s after the migration's first wait")
        #expect(locks.waited >= .milliseconds(800))
        #expect(migrationEnd >= readerEnded, "the migration went through after the reader")
        #expect(longest < .seconds(1), "a writer stalled \(longest)")
    }

    /// `CREATE INDEX CONCURRENTLY` waits for every older transaction; that wait blocks no writer,
    /// so it has its own patience and is not cut short (and the build thrown away) by the short
    /// DDL lock wait. PostgreSQL only: SQLite has no concurrent builds.
    @Test func aConcurrentIndexWaitsForAnOldSnapshotInOneAttempt() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations(
            Self.files.filter { $0.key.hasPrefix("app/0001") }.merging([
                "app/0002_index.yaml": compatibleFile("  - create_index: {table: app_item, columns: [n]}\n")
            ]) { first, _ in first })
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set())
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let reader = try Database(test.url, maximumConnections: 1)
        defer { reader.close() }
        let (reading, readerEnd) = Self.holdTable(reader, afterTheMigrationWaitsFor: 0.7)
        try await onThread { reading.wait() }
        let report = try await onThread { try migrator.migrate() }
        let migrationEnd = ContinuousClock.now
        let readerEnded = try await readerEnd.value
        #expect(report.applied.map(\.description) == ["app/0002_index"])
        #expect(report.runs.first?.locks == LockWaits(), "one attempt, no lock timeout")
        #expect(migrationEnd >= readerEnded, "the build waited for the reader's snapshot")
    }

    /// A stop request (Ctrl-C) ends the retries at once, with the step rolled back, instead of
    /// after ``MigrationSettings/ddlRetryFor``. PostgreSQL only: it holds the table with
    /// `LOCK TABLE`, which SQLite does not have.
    @Test func aStopRequestEndsTheRetries() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations(Self.files)
        defer { scratch.remove() }
        var migrator = Migrator(database: test.database, migrations: try scratch.set())
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let interruption = BackfillInterruption()
        migrator.interruption = interruption
        let holder = try Database(test.url, maximumConnections: 1)
        defer { holder.close() }
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let held = Task.detached {
            try await onThread {
                try holder.withConnection { connection in
                    try connection.transaction {
                        try connection.execute("LOCK TABLE app_item IN ACCESS EXCLUSIVE MODE")
                        locked.signal()
                        release.wait()
                    }
                }
            }
        }
        try await onThread { locked.wait() }
        let clock = ContinuousClock()
        let start = clock.now
        let stopper = Task.detached {
            try await Task.sleep(for: .milliseconds(500))
            interruption.request()
        }
        let stoppable = migrator
        let failure = try await onThread { thrownError { try stoppable.migrate() } as? MigrationFailure }
        let wall = start.duration(to: clock.now)
        release.signal()
        try await held.value
        try await stopper.value
        #expect((failure?.underlying as? DatabaseError)?.isLockTimeout == true)
        #expect(wall < .seconds(8), "stopped after \(wall), not after --ddl-retry-for")
        #expect(try ledgerIDs(test.database) == ["app/0001_base"])
    }

    /// SQLite's equivalent: a migration step waits only the short busy timeout for the write
    /// lock per attempt (not the connection's 5 s), and retries until the writer is done.
    @Test func sqliteStepsRetryTheWriteLockWithTheShortBusyTimeout() async throws {
        let test = try TestDatabase(.sqliteFile)
        defer { test.drop() }
        let scratch = try ScratchMigrations(Self.files)
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set())
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let holder = try Database(test.url, maximumConnections: 1)
        defer { holder.close() }
        let locked = DispatchSemaphore(value: 0)
        let held = Task.detached {
            try await onThread {
                try holder.withConnection { connection in
                    try connection.transaction {
                        try connection.execute("INSERT INTO app_item (id, n) VALUES (1, 1)")
                        locked.signal()
                        // Long enough for the step to meet it on a loaded machine; shorter than
                        // the connection's own 5 s busy timeout, which would absorb it in one attempt.
                        Thread.sleep(forTimeInterval: 3)
                    }
                }
            }
        }
        try await onThread { locked.wait() }
        let report = try await onThread { try migrator.migrate() }
        try await held.value
        #expect(report.applied.map(\.description) == ["app/0002_column"])
        let locks = try #require(report.runs.first?.locks)
        #expect(locks.attempts >= 2)
        #expect(locks.waited >= .milliseconds(300))
        let busy = try await test.database.withConnection { connection in
            try connection.query("PRAGMA busy_timeout")[0].decode(Int.self, at: 0)
        }
        #expect(busy == 5000, "the connection's own busy timeout is restored")
    }

    /// Starts a read-only transaction on app_item that ends `seconds` after it sees the
    /// migration's statement (not a writer's) waiting for a lock (polling `pg_locks`; at most 5 s), as a long
    /// report would; returns the semaphore signalled once it reads, and the task that ends with
    /// the instant it asked to commit. Not the instant the commit returned: the server lets the
    /// migration go on as soon as it has the commit, and the migration can end before the
    /// reader's thread runs again.
    private static func holdTable(_ reader: Database, afterTheMigrationWaitsFor seconds: Double) -> (
        DispatchSemaphore, Task<ContinuousClock.Instant, any Error>
    ) {
        let reading = DispatchSemaphore(value: 0)
        let task = Task.detached {
            try await onThread {
                try reader.withConnection { connection in
                    try connection.transaction { () -> ContinuousClock.Instant in
                        _ = try connection.query("SELECT count(*) FROM app_item")
                        reading.signal()
                        let deadline = ContinuousClock.now + .seconds(5)
                        while ContinuousClock.now < deadline {
                            // pg_stat_activity is read once per transaction unless told to read afresh.
                            _ = try connection.query("SELECT pg_stat_clear_snapshot()")
                            let waiting = try connection.query(
                                """
                                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                                WHERE NOT l.granted AND a.query LIKE '%app_item%'
                                    AND (a.query LIKE 'ALTER TABLE%' OR a.query LIKE 'CREATE INDEX%')
                                """)[0].decode(Int.self, at: 0)
                            if waiting > 0 { break }
                            Thread.sleep(forTimeInterval: 0.01)
                        }
                        Thread.sleep(forTimeInterval: seconds)
                        return ContinuousClock.now
                    }
                }
            }
        }
        return (reading, task)
    }

    /// Updates random rows in autocommit until `stop`, returning the longest single update.
    private static func write(_ url: String, until stop: WritersStop) throws -> Duration {
        let database = try Database(url, maximumConnections: 1)
        defer { database.close() }
        let clock = ContinuousClock()
        var longest = Duration.zero
        try database.withConnection { connection in
            while !stop.isRaised {
                let start = clock.now
                try connection.execute(
                    "UPDATE app_item SET n = n + 1 WHERE id = $1", [.integer(Int64.random(in: 1...1000))])
                longest = max(longest, start.duration(to: clock.now))
            }
        }
        return longest
    }
}

/// A flag one thread raises and others poll.
private final class WritersStop: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Raises it.
    func raise() { raised.store(true, ordering: .sequentiallyConsistent) }

    /// Whether it was raised.
    var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
}
