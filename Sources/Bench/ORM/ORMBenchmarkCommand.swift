import ArgumentParser
import Foundation
import TandemDatabase
import TandemORM

/// `tandem-bench orm`: the ORM against hand-written driver code, phase by phase.
struct ORMBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orm",
        abstract: "Create, get, list through the master and cast N detail objects; compare with raw driver code.",
        discussion: """
            Each phase runs through Tandem's ORM and through hand-written libpq / sqlite3 code with the same \
            statements, prepared once, in the same process, alternating slices of each phase so both sides \
            see the same machine load; the reading phases start with a round that only warms every side up. \
            The ratio is Tandem's time over the raw code's (target: at most 1.3): the median over the rounds \
            of a slice's time over the same round's slice on the other side, where ops/s are totals. \
            Each phase also runs through the ORM's async API (the same statements, through the database's \
            async calls); async/sync is its time over the synchronous path's (target: at most 1.2). It runs \
            a third time in async sessions (`Database.withSession`, one per slice, as the synchronous side \
            holds one connection per slice): session/sync. The header shows /proc/pressure/cpu: figures \
            taken while its avg10 is above 10 % are noise. \
            The last column is the time two threads take to pass a value to each other and back, \
            measured after each round of a phase (the highest; before the first phase, in the header): an \
            async call moves its data between two CPUs, so its cost rises with this figure (see the README). \
            Uses the tables bench_* and raw_*, dropped and recreated.
            """
    )

    @Option(
        help: "Database URL (postgres://…, sqlite:path). Default: $TANDEM_DATABASE_URL, else sqlite:tandem.sqlite3.")
    var database: String?

    @Option(help: "How many detail objects to create.")
    var count = 10_000

    @Option(
        help: """
            How many times the list and cast phases run (each reads all N objects); a multiple of 4 runs \
            each order of sides equally often.
            """)
    var repeats = 12

    @Flag(help: "Print one JSON object keyed by phase instead of a table.")
    var json = false

    func validate() throws {
        guard count > 0, repeats > 0 else { throw ValidationError("--count and --repeats must be positive") }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        let database = try Database(url: url, maximumConnections: 1)
        let raw: any RawBaseline
        switch url.location {
        case .postgres: raw = RawPostgres(database: database)
        case .sqliteFile(let path): raw = try RawSQLite(path: path)
        case .sqliteMemory:
            throw ValidationError("use a SQLite file: an in-memory database cannot be shared with the raw baseline")
        }
        try raw.setUp()
        try database.withConnection { connection in
            try connection.executeScript(benchTables(prefix: "bench", dialect: connection.dialect))
        }
        let roundTripBefore = CrossCPURoundTrip.measure()
        let results = try ORMBenchmark(database: database, raw: raw, count: count, repeats: repeats).run()
        try ResultPrinter.print(
            results, json: json,
            header: "tandem-bench orm: \(url.dialect) \(database.withConnection { $0.serverVersion() }), N = \(count); "
                + CPUPressure.read() + String(format: "; cross-CPU round trip %.0f ns before", roundTripBefore))
    }
}

/// Runs the four phases on both sides, and through the async API, alternating so that neither
/// always runs on a warmer machine.
struct ORMBenchmark {
    let database: Database
    let raw: any RawBaseline
    let count: Int
    let repeats: Int

    func run() throws -> [PhaseResult] {
        let remotes = makeRemotes(prefix: "remote")
        let asyncRemotes = makeRemotes(prefix: "async remote")
        let sessionRemotes = makeRemotes(prefix: "session remote")
        let rawRemotes = remotes.map { remote in
            RawFileRemote(
                master: RawRemote(
                    pulpID: remote.pulpID, pulpType: "file.file", name: remote.name, url: remote.url,
                    policy: remote.policy,
                    downloadConcurrency: remote.downloadConcurrency, created: remote.created),
                manifest: remote.manifest)
        }
        let keys = remotes.map(\.pulpID)
        let registry = ModelRegistry()
        try registry.register(BenchFileRemote.self)
        let database = database

        // Each phase runs in rounds of one Tandem, one raw, one async and one session slice, in an
        // order that changes with the round (see `orders`): the first slice after a switch of
        // sides runs slower (the scheduler moves threads around), and each side must pay that
        // equally often.
        var time = Times()
        for (round, slice) in slices(count).enumerated() {
            let batch = Array(asyncRemotes[slice])
            let sessionBatch = Array(sessionRemotes[slice])
            try rotated(round) {
                try time.create.measure(.raw) { try raw.create(Array(rawRemotes[slice])) }
            } _: {
                try time.create.measure(.orm) {
                    try database.withConnection { connection in
                        for var remote in remotes[slice] { try remote.create(on: connection) }
                    }
                }
            } _: {
                try time.create.measure(.async) {
                    try waitFor {
                        for var remote in batch { try await remote.create(on: database) }
                    }
                }
            } _: {
                try time.create.measure(.session) {
                    try waitFor {
                        try await database.withSession { connection in
                            for var remote in sessionBatch { try await remote.create(on: connection) }
                        }
                    }
                }
            }
            time.create.endRound()
        }
        try database.withConnection { connection in
            // The async paths' copies go, so every later phase reads the same N objects.
            try connection.execute(
                "DELETE FROM bench_remote WHERE name LIKE \(connection.dialect.placeholder(1)) OR name LIKE \(connection.dialect.placeholder(2))",
                ["async remote %", "session remote %"])
            // Both sides' tables start the reading phases vacuumed and analysed, so autovacuum
            // does not wake in the middle of one side's slices.
            try connection.executeScript(
                connection.dialect == .postgres
                    ? "VACUUM ANALYZE bench_remote, bench_fileremote, raw_remote, raw_fileremote" : "VACUUM; ANALYZE")
        }

        // The reading phases start with a round that only warms every side up: a connection's
        // first read of a table after the VACUUM fills its page cache, which took three to four
        // times a warm slice on SQLite, and in the first round's order it fell on Tandem's and the
        // raw code's slices only, the async sides sharing Tandem's connection.
        var ormFound = 0, rawFound = 0, asyncFound = 0, sessionFound = 0
        let getSlices = slices(count)
        time.get.warmUpSlices = 4
        for (round, slice) in ([getSlices[0]] + getSlices).enumerated() {
            if round == 1 { (ormFound, rawFound, asyncFound, sessionFound) = (0, 0, 0, 0) }
            let batch = Array(keys[slice])
            try rotated(round) {
                try time.get.measure(.orm) {
                    try database.withConnection { connection in
                        for key in batch where try BenchFileRemote.find(key, on: connection) != nil { ormFound += 1 }
                    }
                }
            } _: {
                try time.get.measure(.raw) { rawFound += try raw.get(batch) }
            } _: {
                try time.get.measure(.async) {
                    asyncFound += try waitFor {
                        var found = 0
                        for key in batch where try await BenchFileRemote.find(key, on: database) != nil { found += 1 }
                        return found
                    }
                }
            } _: {
                try time.get.measure(.session) {
                    sessionFound += try waitFor {
                        try await database.withSession { connection in
                            var found = 0
                            for key in batch where try await BenchFileRemote.find(key, on: connection) != nil {
                                found += 1
                            }
                            return found
                        }
                    }
                }
            }
            time.get.endRound()
        }
        try expect(
            ormFound == count && rawFound == count && asyncFound == count && sessionFound == count,
            "get found \(ormFound) / \(rawFound) / \(asyncFound) / \(sessionFound) of \(count)")

        // The async sides use their values in the task that awaited them and hand the command
        // only a count, as server code uses a query's values in its task: handing 10,000 objects
        // made on the connection's thread to this blocked main thread, which frees them, is a cost
        // of the benchmark's bridge (`waitFor`), not of the async API (it read 1.09–1.40 on SQLite
        // list against 0.92–1.04 this way).
        var masters: [BenchRemote] = [], rawMasters: [RawRemote] = [], asyncListed = 0, sessionListed = 0
        let listQuery = BenchRemote.query(on: database).filter(Column("pulp_type") == BenchFileRemote.pulpType)
        time.list.warmUpSlices = 4
        for round in 0...repeats {
            try rotated(round) {
                try time.list.measure(.raw) { rawMasters = try raw.listMasters() }
            } _: {
                try time.list.measure(.orm) {
                    masters = try database.withConnection { connection in
                        try BenchRemote.query(on: connection).filter(Column("pulp_type") == BenchFileRemote.pulpType)
                            .all()
                    }
                }
            } _: {
                try time.list.measure(.async) { asyncListed = try waitFor { try await listQuery.all().count } }
            } _: {
                try time.list.measure(.session) {
                    sessionListed = try waitFor {
                        try await database.withSession { connection in
                            try await BenchRemote.query(on: connection)
                                .filter(Column("pulp_type") == BenchFileRemote.pulpType).all().count
                        }
                    }
                }
            }
            time.list.endRound()
        }
        try expect(
            masters.count == count && rawMasters.count == count && asyncListed == count && sessionListed == count,
            "list read \(masters.count) / \(rawMasters.count) / \(asyncListed) / \(sessionListed)")

        // The async sides count the file remotes among their values in the task (see the list phase).
        var cast: [any InheritanceMember] = [], rawCast: [RawFileRemote] = [], asyncCast = 0, sessionCast = 0
        let listed = masters
        time.cast.warmUpSlices = 4
        for round in 0...repeats {
            try rotated(round) {
                try time.cast.measure(.orm) {
                    cast = try database.withConnection { connection in
                        try BenchRemote.cast(listed, on: connection, registry: registry)
                    }
                }
            } _: {
                try time.cast.measure(.raw) { rawCast = try raw.cast(rawMasters) }
            } _: {
                try time.cast.measure(.async) {
                    asyncCast = try waitFor {
                        try await BenchRemote.cast(listed, on: database, registry: registry).count {
                            $0 is BenchFileRemote
                        }
                    }
                }
            } _: {
                try time.cast.measure(.session) {
                    sessionCast = try waitFor {
                        try await database.withSession { connection in
                            try await BenchRemote.cast(listed, on: connection, registry: registry)
                                .count { $0 is BenchFileRemote }
                        }
                    }
                }
            }
            time.cast.endRound()
        }
        try expect(
            cast.count == count && cast.allSatisfy { $0 is BenchFileRemote } && rawCast.count == count
                && asyncCast == count && sessionCast == count, "cast")

        let reads = Double(count * repeats)
        return [
            PhaseResult(phase: "create", operations: Double(count), times: time.create),
            PhaseResult(phase: "get", operations: Double(count), times: time.get),
            PhaseResult(phase: "list", operations: reads, times: time.list),
            PhaseResult(phase: "cast", operations: reads, times: time.cast),
        ]
    }

    private func makeRemotes(prefix: String) -> [BenchFileRemote] {
        (0..<count).map { index in
            BenchFileRemote(
                parent: BenchRemote(
                    pulpID: UUID(), name: "\(prefix) \(index)", url: "https://example.com/\(index)/",
                    downloadConcurrency: index % 7 == 0 ? nil : 10, created: Date()),
                manifest: index % 3 == 0 ? nil : "PULP_MANIFEST")
        }
    }

    /// Each phase's slice times.
    private struct Times {
        var create = SliceTimes(), get = SliceTimes(), list = SliceTimes(), cast = SliceTimes()
    }

    /// Twelve slices of `0..<count` (fewer when count is small): three rounds of each order.
    private func slices(_ count: Int) -> [Range<Int>] {
        let size = max(1, (count + 11) / 12)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// The order of the four sides in each round of four: a Williams square, in which every
    /// side runs first once and follows each other side exactly once. A slice runs differently
    /// after some sides than after others, and each side must get each predecessor equally often:
    /// with one order rotated, PostgreSQL's raw inserts ran about a fifth faster when session
    /// slices ran between the rounds than when they did not, and ORM/raw read 1.25–1.28 instead
    /// of 1.04–1.11 for the same ORM speed.
    private static let orders = [[0, 1, 3, 2], [1, 2, 0, 3], [2, 3, 1, 0], [3, 0, 2, 1]]

    /// Runs the four sides of one round in that round's order (see ``orders``).
    private func rotated(
        _ round: Int, _ first: () throws -> Void, _ second: () throws -> Void, _ third: () throws -> Void,
        _ fourth: () throws -> Void
    ) rethrows {
        for side in Self.orders[round % Self.orders.count] {
            switch side {
            case 0: try first()
            case 1: try second()
            case 2: try third()
            default: try fourth()
            }
        }
    }

    private func expect(_ condition: Bool, _ what: String) throws {
        if !condition { throw RawBenchmarkError(description: "benchmark check failed: \(what)") }
    }
}
