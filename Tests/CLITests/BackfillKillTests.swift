import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// `tandem migrate` killed mid-backfill, again and again: issue 4's kill test.
///
/// `scripts/kill-test` runs it alone with more kills and rows (`TANDEM_KILL_TEST_KILLS`,
/// `TANDEM_KILL_TEST_ROWS`).
@Suite("Backfill kill test: tandem migrate killed and restarted")
struct BackfillKillTests {
    static let kills = ProcessInfo.processInfo.environment["TANDEM_KILL_TEST_KILLS"].flatMap(Int.init) ?? 10
    static let rows = ProcessInfo.processInfo.environment["TANDEM_KILL_TEST_ROWS"].flatMap(Int.init) ?? 60_000

    @Test(
        "killed with SIGKILL at random points at least 10 times, every row is still done exactly once",
        arguments: TestDatabaseKind.engines)
    func killedAndRestarted(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind)
        defer { testDatabase.drop() }
        try await withMigrations(rows: Self.rows) { folder in
            let arguments = [
                "migrate", "--database", testDatabase.url, "--migrations", folder.path, "--batch-size", "100",
                "--throttle-ms", "10",
            ]
            var killed = 0, progress: [Int] = []
            while killed < Self.kills {
                let process = try BackgroundTandem(arguments)
                // Each kill falls at a random point after the backfill went past the last one: on a
                // starved machine a fixed delay after the start could fall before the first batch
                // every time (CI once saw ten kills at one point). Blocking sleeps: an await could
                // resume late on a busy machine, after migrate ended.
                let deadline = ContinuousClock.now + .seconds(120)
                while try rowsDone(testDatabase.database) <= (progress.last ?? 0), process.isRunning,
                    ContinuousClock.now < deadline
                {
                    blockingSleep(0.005)
                }
                blockingSleep(Double.random(in: 0...0.2))
                if let finished = process.kill() {
                    Issue.record(
                        "migrate ended by itself after \(killed) kills (make TANDEM_KILL_TEST_ROWS larger): \(finished)"
                    )
                    break
                }
                killed += 1
                progress.append(try rowsDone(testDatabase.database))
            }
            let last = try TandemProcess.run(arguments)
            #expect(last.status == 0, "\(last)")
            try await testDatabase.database.withConnection { connection throws in
                let wrong = try connection.query(
                    "SELECT count(*) FROM kill_item WHERE n <> CASE WHEN id % 10 = 0 THEN 0 ELSE 1 END")
                #expect(try wrong[0].decode(Int.self, at: 0) == 0)
                #expect(try connection.query("SELECT count(*) FROM kill_item")[0].decode(Int.self, at: 0) == Self.rows)
                let ledger = try connection.query("SELECT count(*) FROM tandem_migrations WHERE name = '0002_backfill'")
                #expect(try ledger[0].decode(Int.self, at: 0) == 1)
            }
            // Every kill fell mid-backfill, past the one before.
            #expect(
                zip(progress, progress.dropFirst()).allSatisfy(<) && (progress.first ?? 0) > 0
                    && (progress.last ?? Self.rows) < Self.rows,
                "rows done at each kill: \(progress)")
        }
    }

    @Test(
        "an interrupt finishes the current batch, checkpoints and exits 1; the next migrate resumes",
        arguments: TestDatabaseKind.engines)
    func interruptResumes(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind)
        defer { testDatabase.drop() }
        try await withMigrations(rows: 20_000) { folder in
            let arguments = [
                "migrate", "--database", testDatabase.url, "--migrations", folder.path, "--batch-size", "100",
                "--throttle-ms", "20",
            ]
            let process = try BackgroundTandem(arguments)
            let deadline = ContinuousClock.now + .seconds(60)
            while try rowsDone(testDatabase.database) == 0 {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    Issue.record("migrate did not start the backfill: \(try process.interrupt())")
                    return
                }
                blockingSleep(0.01)
            }
            let run = try process.interrupt()
            #expect(run.status == 1, "\(run)")
            #expect(run.errors.contains("interrupted after"))
            #expect(run.errors.contains("the next run resumes after key ["))
            let stoppedAt = try rowsDone(testDatabase.database)
            #expect(stoppedAt > 0 && stoppedAt < 18_000)
            let status = try TandemProcess.run(["status", "--database", testDatabase.url, "--migrations", folder.path])
            #expect(status.output.contains("backfills in progress: 1"))
            #expect(status.output.contains("core/0002_backfill#0             kill_item: \(stoppedAt) of ~18000 rows"))
            let last = try TandemProcess.run(arguments)
            #expect(last.status == 0, "\(last)")
            try await testDatabase.database.withConnection { connection throws in
                let wrong = try connection.query(
                    "SELECT count(*) FROM kill_item WHERE n <> CASE WHEN id % 10 = 0 THEN 0 ELSE 1 END")
                #expect(try wrong[0].decode(Int.self, at: 0) == 0)
            }
        }
    }

    @Test(
        "a second interrupt stops at once with exit 1, the open batch rolled back (the CLI decides, not the library)",
        arguments: TestDatabaseKind.engines)
    func secondInterruptStopsAtOnce(_ kind: TestDatabaseKind) async throws {
        let testDatabase = try TestDatabase(kind)
        defer { testDatabase.drop() }
        try await withMigrations(rows: 20_000, slowly: true) { folder in
            // One batch of every row: the first interrupt would wait for all of it.
            let arguments = [
                "migrate", "--database", testDatabase.url, "--migrations", folder.path, "--batch-size", "1000000",
            ]
            let process = try BackgroundTandem(arguments)
            let deadline = ContinuousClock.now + .seconds(60)
            while try !checkpointExists(testDatabase.database) {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    Issue.record("migrate did not start the backfill: \(try process.interrupt())")
                    return
                }
                blockingSleep(0.01)
            }
            process.signal(SIGINT)
            blockingSleep(0.1)
            let run = try process.interrupt()
            #expect(run.status == 1, "\(run)")
            #expect(run.errors.contains("second interruption: stopping now"), "\(run)")
            #expect(try rowsDone(testDatabase.database) == 0)
        }
    }

    /// Whether the backfill wrote its checkpoint row, as it does before its first batch.
    private func checkpointExists(_ database: Database) throws -> Bool {
        try database.withConnection { connection in
            do {
                return try connection.query("SELECT count(*) FROM tandem_backfills")[0].decode(Int.self, at: 0) > 0
            } catch let error as DatabaseError where error.kind == .statement {
                return false
            }
        }
    }

    /// Rows the backfill's checkpoint counts as done; 0 before it exists.
    private func rowsDone(_ database: Database) throws -> Int {
        try database.withConnection { connection in
            do {
                return try connection.query("SELECT rows_done FROM tandem_backfills").first?.decode(Int.self, at: 0)
                    ?? 0
            } catch let error as DatabaseError where error.kind == .statement {
                return 0
            }
        }
    }

    /// Migrations creating `kill_item` with `rows` rows, then backfilling `n = n + 1` on the rows
    /// whose id is not a multiple of 10: a row done twice shows 2, a skipped one 0.
    private func withMigrations(
        rows: Int, slowly: Bool = false, _ body: (URL) async throws -> Void
    ) async throws {
        // A correlated subquery that reads a few hundred rows for each row makes every pass slow.
        let slow = slowly ? " AND (SELECT count(*) FROM kill_item k WHERE k.id <= kill_item.id % 500) >= 0" : ""
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("core"), withIntermediateDirectories: true)
        try Data(
            """
            release: "1.0.0"
            phase: compatible
            operations:
              - create_table:
                  name: kill_item
                  columns:
                    - {name: id, type: bigint, null: false}
                    - {name: n, type: integer, null: false, default: 0}
                  primary_key: id
              - sql:
                  phase: compatible
                  up: >-
                    INSERT INTO kill_item (id) WITH RECURSIVE s(i) AS
                    (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < \(rows)) SELECT i FROM s
                  down: DELETE FROM kill_item

            """.utf8
        ).write(to: folder.appendingPathComponent("core/0001_items.yaml"))
        try Data(
            """
            release: "1.0.0"
            phase: compatible
            operations:
              - backfill:
                  table: kill_item
                  set: {n: "n + 1"}
                  where: "id % 10 <> 0\(slow)"

            """.utf8
        ).write(to: folder.appendingPathComponent("core/0002_backfill.yaml"))
        try await body(folder)
    }
}

/// Sleeps on the calling thread: unlike `Task.sleep`, it cannot resume late because the
/// cooperative threads are busy with other tests.
func blockingSleep(_ seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}

/// A `tandem` process running in the background, to kill or interrupt.
final class BackgroundTandem {
    private let process: Process
    private let errorsURL: URL
    /// When it was started.
    let started = ContinuousClock.now

    init(_ arguments: [String]) throws {
        errorsURL = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-kill-\(UUID().uuidString)")
        try Data().write(to: errorsURL)
        let process = Process()
        process.executableURL = TandemProcess.executable
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment
        variables["TANDEM_DATABASE_URL"] = nil
        process.environment = variables
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorsURL)
        try process.run()
        self.process = process
    }

    /// Whether it still runs.
    var isRunning: Bool { process.isRunning }

    /// Kills it with SIGKILL; when it had already exited, what that run did instead.
    func kill() -> TandemRun? {
        defer { try? FileManager.default.removeItem(at: errorsURL) }
        guard process.isRunning else {
            process.waitUntilExit()
            return TandemRun(
                status: process.terminationStatus, output: "",
                errors: (try? String(contentsOf: errorsURL, encoding: .utf8)) ?? "")
        }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    /// Sends `number` without waiting.
    func signal(_ number: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, number) }
    }

    /// Sends SIGINT, as Ctrl-C does, and waits for the exit.
    func interrupt() throws -> TandemRun {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: errorsURL) }
        return TandemRun(
            status: process.terminationStatus, output: "", errors: try String(contentsOf: errorsURL, encoding: .utf8))
    }
}
