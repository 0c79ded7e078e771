import Foundation
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

/// Issue 14's kill-anywhere test: for every operation kind, `tandem migrate` is killed with
/// SIGKILL at random moments (each rerun may be killed again), then run to completion; the
/// schema, column syncs, leftovers, ledger and a query over the data must equal those of an
/// uninterrupted run on a fresh database.
///
/// Kill delays are drawn from a seeded generator within the measured duration of the
/// uninterrupted step; a failure prints its seed. `scripts/kill-anywhere` runs it with more
/// kills and rows (`TANDEM_KILL_ANYWHERE_KILLS`, `TANDEM_KILL_ANYWHERE_ROWS`); set
/// `TANDEM_KILL_ANYWHERE_SEED` to replay a failure, and `TANDEM_KILL_ANYWHERE_OPERATION` (operation
/// kinds, comma-separated) to run only some.
@Suite("Kill anywhere: tandem migrate killed at random moments ends as an uninterrupted run")
struct KillAnywhereTests {
    static let environment = ProcessInfo.processInfo.environment
    static let kills = environment["TANDEM_KILL_ANYWHERE_KILLS"].flatMap(Int.init) ?? 5
    static let rows = environment["TANDEM_KILL_ANYWHERE_ROWS"].flatMap(Int.init) ?? 100_000
    static let seed = environment["TANDEM_KILL_ANYWHERE_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999)

    static let only = environment["TANDEM_KILL_ANYWHERE_OPERATION"].map { $0.split(separator: ",").map(String.init) }

    @Test(arguments: KillAnywhereScenario.selected(only), TestDatabaseKind.engines)
    func killedAnywhereEndsAsAnUninterruptedRun(_ scenario: KillAnywhereScenario, _ kind: TestDatabaseKind) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try scenario.write(to: folder, rows: Self.rows)
        let (reference, duration) = try uninterrupted(scenario, folder: folder, kind: kind)
        var random = SplitMix64(seed: Self.seed)
        var kills: [Double] = []
        var round = 0
        while kills.count < Self.kills && round < Self.kills * 6 {
            round += 1
            let test = try TestDatabase(kind)
            defer { test.drop() }
            try setUp(scenario, folder: folder, url: test.url)
            // A name of the runner's sessions of its own, to watch them in pg_stat_activity.
            let session = "tandem-kill-\(UUID().uuidString.prefix(8))"
            let url = kind == .postgres ? test.url + "&application_name=" + session : test.url
            let arguments = migrate(scenario, folder: folder, url: url)
            // Each rerun may be killed again, up to three times a round.
            for _ in 0..<3 {
                let process = try BackgroundTandem(arguments)
                let delay: Double
                if kind == .postgres && random.fraction() < 0.5 {
                    // While a statement of the step runs on the server: the orphan case.
                    delay =
                        try Self.waitForStatement(of: session, on: test.database, process: process, limit: duration * 2)
                        + random.fraction() * 0.05
                    blockingSleep(max(0, delay - Self.elapsed(since: process)))
                } else {
                    // Anywhere in the run: start-up, lock, planning, the step's statements.
                    delay = random.fraction() * duration
                    blockingSleep(delay)
                }
                if let finished = process.kill() {
                    #expect(finished.status == 0, "seed \(Self.seed): \(finished)")
                    break
                }
                kills.append(delay)
            }
            let last = try TandemProcess.run(arguments)
            #expect(last.status == 0, "seed \(Self.seed), kills at \(kills): \(last)")
            let difference = Self.difference(reference, try Self.fingerprint(test.database, scenario))
            let delays = kills.map { String(format: "%.3fs", $0) }.joined(separator: ", ")
            #expect(
                difference.isEmpty,
                "seed \(Self.seed) (TANDEM_KILL_ANYWHERE_SEED), \(scenario) on \(kind), kills at \(delays):\n\(difference.joined(separator: "\n"))"
            )
        }
        #expect(
            kills.count >= Self.kills,
            "the step ended before most kills (seed \(Self.seed), step \(duration)s): make TANDEM_KILL_ANYWHERE_ROWS larger"
        )
    }

    /// Runs the scenario without interruption on a fresh database, then once more (nothing to
    /// do); returns its fingerprint and how long the migration under test took, in seconds.
    private func uninterrupted(_ scenario: KillAnywhereScenario, folder: URL, kind: TestDatabaseKind) throws
        -> ([String], Double)
    {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try setUp(scenario, folder: folder, url: test.url)
        let arguments = migrate(scenario, folder: folder, url: test.url)
        let (run, duration) = try Self.timed { try TandemProcess.run(arguments) }
        try #require(run.status == 0, "\(run)")
        let again = try TandemProcess.run(arguments)
        try #require(again.status == 0, "\(again)")
        return (try Self.fingerprint(test.database, scenario), duration)
    }

    /// Polls until a session named `session` runs a statement of the step (not the lock's
    /// polling) and returns how long after the start of `process` that was; the time waited
    /// when none does within `limit` seconds or the process ends.
    private static func waitForStatement(
        of session: String, on database: Database, process: BackgroundTandem, limit: Double
    ) throws -> Double {
        while process.isRunning && elapsed(since: process) < limit {
            let active = try database.withConnection { connection in
                try connection.query(
                    """
                    SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'
                        AND query !~* '^\\s*(SELECT|SET|RESET|BEGIN|COMMIT|SHOW|DO)'
                    """, [.text(session)])[0].decode(Int.self, at: 0)
            }
            if active > 0 { break }
            blockingSleep(0.005)
        }
        return elapsed(since: process)
    }

    private static func elapsed(since process: BackgroundTandem) -> Double {
        let duration = process.started.duration(to: .now)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try body()
        let duration = start.duration(to: .now)
        return (result, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    private func setUp(_ scenario: KillAnywhereScenario, folder: URL, url: String) throws {
        let run = try TandemProcess.run([
            "migrate", "--database", url, "--migrations", folder.path, "--to", scenario.setupTarget,
        ])
        try #require(run.status == 0, "\(run)")
    }

    private func migrate(_ scenario: KillAnywhereScenario, folder: URL, url: String) -> [String] {
        ["migrate", "--database", url, "--migrations", folder.path] + (scenario.breaking ? ["--breaking"] : [])
    }

    /// What must match, one line per fact: tables (normalized, introspected), column syncs,
    /// INVALID indexes and NOT VALID constraints, triggers and functions, the ledger (name and
    /// checksum), and the scenario's data query.
    static func fingerprint(_ database: Database, _ scenario: KillAnywhereScenario) throws -> [String] {
        try database.withConnection { connection in
            let live = try connection.introspectLiveSchema()
            var lines: [String] = []
            for table in live.schema.tables.sorted(by: { $0.name < $1.name }) where table.name != "tandem_components" {
                let table = table.normalized
                lines += table.columns.map { "table \(table.name) column \($0)" }
                lines.append("table \(table.name) primary key \(table.primaryKey)")
                lines += table.indexes.map { "table \(table.name) index \($0)" }
                lines += table.uniqueConstraints.map { "table \(table.name) unique \($0)" }
                lines += table.foreignKeys.map { "table \(table.name) foreign key \($0)" }
                lines += table.checkConstraints.map { "table \(table.name) check \($0)" }
            }
            lines += live.syncs.map { "column sync \($0)" }
            lines += try connection.installedColumnSyncs().map {
                "installed sync \($0.table ?? "-") \($0.objects) \($0.problems)"
            }
            lines += try connection.invalidIndexes().map { "INVALID index \($0.name) on \($0.table)" }
            lines += try connection.unvalidatedConstraints().map { "NOT VALID constraint \($0.name) on \($0.table)" }
            lines += live.triggers.sorted { $0.key < $1.key }.flatMap { table, sql in
                sql.map { "trigger on \(table): \($0)" }
            }
            if connection.dialect == .postgres {
                lines += try connection.query(
                    """
                    SELECT 'function ' || p.proname AS fact FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = current_schema()
                    UNION ALL SELECT 'trigger ' || t.tgname || ' on ' || c.relname FROM pg_trigger t
                    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY 1
                    """
                ).map { try $0.decode(String.self, at: 0) }
            }
            lines += try connection.query("SELECT name, checksum FROM tandem_migrations ORDER BY name").map {
                "ledger \(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1))"
            }
            lines.append(
                "data \(scenario.data): \(try connection.query(scenario.data)[0].decode(Int?.self, at: 0).map(String.init) ?? "NULL")"
            )
            return lines
        }
    }

    /// The lines only the reference has (`-`) and only the killed run has (`+`).
    static func difference(_ reference: [String], _ killed: [String]) -> [String] {
        reference.filter { !killed.contains($0) }.map { "- " + $0 }
            + killed.filter { !reference.contains($0) }.map { "+ " + $0 }
    }
}

/// A small seeded generator (SplitMix64), so that a failing run's kill delays can be replayed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The next number in [0, 1).
    mutating func fraction() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
