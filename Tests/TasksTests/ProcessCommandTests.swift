import Foundation
import Synchronization
import TandemApp
import TandemDatabase
import TandemFile
import TandemMigrations
import TandemProcessTestSupport
import TandemTesting
import Testing

/// The built `tandem serve` and `tandem worker` in `tandem_components`, on both engines: each
/// registers with its plugins' versions and leaves on SIGTERM or SIGINT; one killed with SIGKILL leaves a
/// row that goes stale and the next process removes; two failed heartbeats stop it (exit 1).
/// Every kind's TTL is 1 s here (`TANDEM_PROCESS_TTL__*`): heartbeats every 333 ms, stale at
/// 1.5 s. Timing-sensitive: in scripts/test's timing list.
@Suite("tandem serve and tandem worker register as processes")
struct ProcessCommandTests {
    /// The two long-running commands.
    enum Command: String, CaseIterable, Sendable, CustomStringConvertible {
        case serve, worker

        var arguments: [String] { self == .serve ? ["serve", "--port", "0"] : ["worker"] }
        var kind: String { self == .serve ? "api" : "worker" }
        var description: String { rawValue }
    }

    static let cases: [(TestDatabaseKind, Command)] = TestDatabaseKind.engines.flatMap { kind in
        Command.allCases.map { (kind, $0) }
    }

    static let signalCases: [(TestDatabaseKind, Command, Int32)] = cases.flatMap { kind, command in
        [SIGTERM, SIGINT].map { (kind, command, $0) }
    }

    /// What every process of the example application reports: its plugins' releases.
    static let versions = [
        CorePlugin().label: CorePlugin().version.description, FilePlugin().label: FilePlugin().version.description,
    ]

    /// The test database, migrated by the built binary (`serve` refuses pending migrations).
    private func migrated(_ kind: TestDatabaseKind) async throws -> TestDatabase {
        let test = try TestDatabase(kind)
        let migrate = try WorkerProcessHandle(["migrate"], url: test.url)
        let status = try await migrate.waitForExit(.seconds(60))
        try #require(status == 0, "\(migrate.output)")
        return test
    }

    private func launch(_ command: Command, _ test: TestDatabase) throws -> WorkerProcessHandle {
        try WorkerProcessHandle(
            command.arguments, url: test.url,
            environment: ["TANDEM_PROCESS_TTL__API": "1", "TANDEM_PROCESS_TTL__WORKER": "1"])
    }

    @Test(arguments: signalCases)
    func registersWithItsPluginsVersionsAndLeavesOnASignal(
        _ kind: TestDatabaseKind, _ command: Command, _ signal: Int32
    ) async throws {
        let test = try await migrated(kind)
        defer { test.drop() }
        let process = try launch(command, test)
        let pids = RegisteredPIDs()
        defer { pids.killAll() }
        let rows = try await ComponentRows.wait(test.database, for: "the \(command) row") { $0.count == 1 }
        pids.add(rows)
        #expect(rows[0].kind == command.kind)
        #expect(rows[0].versions == Self.versions)
        // It keeps beating, every third of its 1 s TTL.
        let first = rows[0].lastHeartbeat
        try await ComponentRows.wait(test.database, for: "a heartbeat") { ($0.first?.lastHeartbeat ?? first) > first }

        process.send(signal)
        #expect(try await process.waitForExit() == 0, "\(process.output)")
        #expect(try await ComponentRows.all(test.database).isEmpty, "\(process.output)")
    }

    @Test(arguments: cases)
    func aKilledProcessLeavesAStaleRowThatTheNextOneRemoves(_ kind: TestDatabaseKind, _ command: Command)
        async throws
    {
        let test = try await migrated(kind)
        defer { test.drop() }
        let pids = RegisteredPIDs()
        defer { pids.killAll() }
        let killed = try launch(command, test)
        let rows = try await ComponentRows.wait(test.database, for: "the first \(command) row") { $0.count == 1 }
        pids.add(rows)
        killed.send(SIGKILL)
        if command == .worker {
            // The row is the supervised worker process's; the supervisor went first so that it
            // starts no other.
            kill(Int32(rows[0].pid), SIGKILL)
        }
        #expect(try await killed.waitForExit() == SIGKILL)

        let aged = try await ComponentRows.wait(test.database, for: "the killed row to age past its TTL") {
            $0.contains { $0.id == rows[0].id && $0.heartbeatAge > 1.1 }
        }
        let stale = try #require(aged.first(where: { $0.id == rows[0].id }))
        #expect(!stale.isLive(timeout: .seconds(1)), "the gates no longer count it")

        let next = try launch(command, test)
        let after = try await ComponentRows.wait(test.database, for: "the stale row's removal") {
            $0.count == 1 && $0[0].id != rows[0].id
        }
        pids.add(after)
        #expect(after[0].kind == command.kind)
        next.send(SIGTERM)
        #expect(try await next.waitForExit() == 0, "\(next.output)")
        #expect(try await ComponentRows.all(test.database).isEmpty)
    }

    @Test(arguments: cases)
    func twoFailedHeartbeatsStopTheProcess(_ kind: TestDatabaseKind, _ command: Command) async throws {
        let test = try await migrated(kind)
        defer { test.drop() }
        let process = try launch(command, test)
        let pids = RegisteredPIDs()
        defer { pids.killAll() }
        let rows = try await ComponentRows.wait(test.database, for: "the \(command) row") { $0.count == 1 }
        pids.add(rows)
        // A heartbeat first: registering again at the start of its run creates the table if needed.
        let first = rows[0].lastHeartbeat
        try await ComponentRows.wait(test.database, for: "a heartbeat") { ($0.first?.lastHeartbeat ?? first) > first }
        // Its heartbeats can no longer be written: the table is gone.
        try await test.database.withConnection {
            _ = try $0.execute("DROP TABLE \(quoteIdentifier(ComponentRegistry.tableName))")
        }
        let status = try await process.waitForExit()
        #expect(status == 1, "\(process.output)")
        #expect(process.output.contains("heartbeat failed (2 in a row)"), "\(process.output)")
        #expect(
            process.output.contains("heartbeat failed 2 times in a row; stopping so the process does not run unseen"),
            "\(process.output)")
    }
}

extension ProcessCommandTests {
    /// A TTL the settings' validators refuse is bad input (exit 2, naming the key and the
    /// variable it came from), and nothing registers.
    @Test(arguments: cases)
    func anInvalidTTLIsBadInputAndNothingRegisters(_ kind: TestDatabaseKind, _ command: Command) async throws {
        let test = try await migrated(kind)
        defer { test.drop() }
        let variable = command == .serve ? "TANDEM_PROCESS_TTL__API" : "TANDEM_PROCESS_TTL__WORKER"
        let process = try WorkerProcessHandle(command.arguments, url: test.url, environment: [variable: "0"])
        let status = try await process.waitForExit()
        #expect(status == 2, "\(process.output)")
        #expect(process.output.contains("environment \(variable): process_ttl.\(command.kind)"), "\(process.output)")
        #expect(try await ComponentRows.all(test.database).isEmpty)
    }
}

/// The pids of registered processes a test started, killed with SIGKILL when it ends, so a
/// failed test never leaves a worker process behind its killed supervisor.
final class RegisteredPIDs: Sendable {
    private let pids = Mutex<[Int32]>([])

    /// Remembers the pids of `rows`.
    func add(_ rows: [ComponentRecord]) {
        pids.withLock { $0 += rows.map { Int32($0.pid) } }
    }

    /// Kills every remembered process that still runs `tandem` (never a process that has
    /// taken a freed pid since).
    func killAll() {
        for pid in pids.withLock({ $0 }) {
            guard let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                command.split(separator: "\0").first?.hasSuffix("tandem") == true
            else { continue }
            kill(pid, SIGKILL)
        }
    }
}
