import Foundation
import Synchronization
import TandemDatabase
import TandemMigrations
import TandemProcessTestSupport
import TandemTesting
import Testing

/// Real processes (the `tandem-process-fixture` executable, which runs ``ProcessRegistration`` in
/// a ServiceGroup as `tandem serve` will): stopped by SIGTERM/SIGINT, killed by SIGKILL, or
/// losing its heartbeat. Timing-sensitive: in scripts/test's timing list. Both engines.
@Suite("Process lifecycle with real processes")
struct ProcessLifecycleTests {
    @Test(arguments: TestDatabaseKind.engines, [SIGTERM, SIGINT])
    func aSignalRemovesTheRow(_ kind: TestDatabaseKind, _ signal: Int32) async throws {
        try await withTestDatabase(kind) { database in
            let fixture = try FixtureProcess(database: database, ttl: 1.5, versions: ["core=3.1.0", "file=1.10.0"])
            let rows = try await ComponentRows.wait(database, for: "the fixture's row") {
                $0.contains { $0.pid == fixture.pid }
            }
            #expect(rows.first?.versions == ["core": "3.1.0", "file": "1.10.0"])
            #expect(rows.first?.kind == "api")
            // It keeps beating (interval 0.5 s).
            let first = rows[0].lastHeartbeat
            try await ComponentRows.wait(database, for: "a heartbeat") { ($0.first?.lastHeartbeat ?? first) > first }

            kill(fixture.pid, signal)
            let status = try await fixture.exitStatus()
            #expect(status == 0, "\(fixture.errors)")
            #expect(try await ComponentRows.all(database).isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aKilledProcessGoesStaleAndTheNextOneRemovesIt(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let killed = try FixtureProcess(database: database, ttl: 1.5)
            try await ComponentRows.wait(database, for: "the first fixture's row") {
                $0.contains { $0.pid == killed.pid }
            }
            kill(killed.pid, SIGKILL)
            #expect(try await killed.exitStatus() == SIGKILL)

            // Its row stays and ages past the TTL: the gates no longer count it.
            let aged = try await ComponentRows.wait(database, for: "the killed row to age") {
                $0.count == 1 && $0[0].heartbeatAge > 1.6
            }
            #expect(aged[0].pid == killed.pid)
            #expect(!aged[0].isLive(timeout: .milliseconds(1500)))

            // The next process to start notices it once it is stale (1.5 × TTL) and deletes it.
            let next = try FixtureProcess(database: database, ttl: 1.5)
            let rows = try await ComponentRows.wait(database, for: "the stale row's removal") {
                $0.map(\.pid) == [Int(next.pid)]
            }
            #expect(rows.count == 1)
            kill(next.pid, SIGTERM)
            #expect(try await next.exitStatus() == 0, "\(next.errors)")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func twoFailedHeartbeatsStopTheProcess(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let fixture = try FixtureProcess(database: database, ttl: 1.5)
            let rows = try await ComponentRows.wait(database, for: "the fixture's row") {
                $0.contains { $0.pid == fixture.pid }
            }
            // A heartbeat first: registering again at the start of its run creates the table if
            // needed, and a drop before that (a starved machine, once in CI) fails the start instead.
            let first = rows.first { $0.pid == fixture.pid }!.lastHeartbeat
            try await ComponentRows.wait(database, for: "a heartbeat") {
                ($0.first { $0.pid == fixture.pid }?.lastHeartbeat ?? first) > first
            }
            // Its heartbeats can no longer be written: the table is gone.
            try await database.withConnection {
                _ = try $0.execute("DROP TABLE \(quoteIdentifier(ComponentRegistry.tableName))")
            }
            let status = try await fixture.exitStatus(within: .seconds(20))
            #expect(status == 1)
            let errors = fixture.errors
            #expect(errors.contains("heartbeat failed (1 in a row)"), "\(errors)")
            #expect(errors.contains("heartbeat failed (2 in a row)"), "\(errors)")
            #expect(errors.contains("heartbeat failed 2 times in a row; stopping"), "\(errors)")
            #expect(!errors.contains("heartbeat failed (3 in a row)"), "\(errors)")
        }
    }
}

extension ProcessLifecycleTests {
    /// A database that stops answering (the table locked by another session: PostgreSQL's
    /// `LOCK TABLE`, SQLite's `BEGIN EXCLUSIVE`) makes heartbeats time out: two in a row stop the
    /// process, though no statement ever failed.
    @Test(arguments: TestDatabaseKind.engines)
    func heartbeatsThatGetNoAnswerStopTheProcess(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let fixture = try FixtureProcess(database: database, ttl: 1.5)
            try await ComponentRows.wait(database, for: "the fixture's row") { $0.contains { $0.pid == fixture.pid } }
            let lock = try TableLock(url: database.url)
            try await lock.waitUntilHeld()
            let status = try await fixture.exitStatus(within: .seconds(20))
            lock.release()
            #expect(status == 1, "\(fixture.errors)")
            let errors = fixture.errors
            #expect(errors.contains("no answer within 0.5 seconds"), "\(errors)")
            #expect(errors.contains("heartbeat failed 2 times in a row; stopping"), "\(errors)")
        }
    }
}

/// Holds an exclusive lock on `tandem_components` from a session of its own, on a thread of its
/// own (a held transaction cannot cross the async API), until ``release()``.
final class TableLock: Sendable {
    private let state = Mutex<(held: Bool, released: Bool, error: String?)>((false, false, nil))

    init(url: DatabaseURL) throws {
        let locker = try Database(url: url, maximumConnections: 1)
        Thread.detachNewThread { [self] in
            do {
                try locker.withConnection { connection in
                    if connection.dialect == .postgres {
                        _ = try connection.execute("BEGIN")
                        _ = try connection.execute(
                            "LOCK TABLE \(quoteIdentifier(ComponentRegistry.tableName)) IN ACCESS EXCLUSIVE MODE")
                    } else {
                        _ = try connection.execute("BEGIN EXCLUSIVE")
                    }
                    state.withLock { $0.held = true }
                    while !state.withLock({ $0.released }) { usleep(20_000) }
                    _ = try connection.execute("ROLLBACK")
                }
            } catch {
                state.withLock { $0.error = "\(error)" }
            }
            locker.close()
        }
    }

    /// Waits until the lock is taken.
    func waitUntilHeld() async throws {
        while true {
            let (held, error) = state.withLock { ($0.held, $0.error) }
            if let error { throw TableLockFailed(message: error) }
            if held { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Ends the lock's transaction.
    func release() { state.withLock { $0.released = true } }
}

/// The lock could not be taken.
struct TableLockFailed: Error { let message: String }

/// A running `tandem-process-fixture`, its output in files.
final class FixtureProcess {
    /// The folder SwiftPM builds products into, as in the CLI tests.
    static let executable: URL = {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("tandem-process-fixture")
            }
        #endif
        return Bundle.main.bundleURL.appendingPathComponent("tandem-process-fixture")
    }()

    let pid: Int32
    private let process: Process
    private let errorsURL: URL

    /// Starts a fixture of `kind` on `database` with every kind's TTL `ttl` seconds.
    init(database: Database, kind: String = "api", ttl: Double, versions: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: Self.executable.path])
        }
        errorsURL = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-fixture-\(UUID().uuidString)")
        try Data().write(to: errorsURL)
        let errors = try FileHandle(forWritingTo: errorsURL)
        process = Process()
        process.executableURL = Self.executable
        process.arguments =
            ["--database", database.url.string, "--kind", kind, "--ttl", "\(ttl)"]
            + versions.flatMap { ["--version", $0] }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        try errors.close()
        pid = process.processIdentifier
    }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: errorsURL)
    }

    /// What it wrote to standard error.
    var errors: String { (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? "" }

    /// Waits (without blocking a thread) for it to exit: its exit status, or the signal that
    /// ended it.
    func exitStatus(within timeout: Duration = .seconds(15)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw FixtureTimedOut(errors: errors)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }
}

/// The fixture did not exit in time.
struct FixtureTimedOut: Error, CustomStringConvertible {
    let errors: String
    var description: String { "the fixture did not exit in time; its stderr:\n\(errors)" }
}
