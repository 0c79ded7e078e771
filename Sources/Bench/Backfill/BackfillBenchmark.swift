import Foundation
import Logging
import TandemDatabase
import TandemMigrations

/// The phases of `tandem-bench backfill`, each on a freshly loaded table.
struct BackfillBenchmark {
    let url: DatabaseURL
    let rows: Int
    let batchSize: Int
    let writers: Int
    let baseline: Duration
    let throttle: Duration

    static let table = "bench_backfill"
    private static let job = BackfillJob(migration: "bench/0001_backfill", operation: 0)
    private static let backfill = Backfill(table: table, set: [.init("n", "n + 1")])

    func run() throws -> BackfillBenchmarkResult {
        let database = try Database(url: url, maximumConnections: 1)
        defer { database.close() }
        let version = try database.withConnection { $0.serverVersion() }

        try load(database)
        let plain = try measure {
            try database.withConnection { _ = try $0.execute("UPDATE \(quoteIdentifier(Self.table)) SET n = n + 1") }
        }
        try check(database, "plain UPDATE")

        try load(database)
        var alone = BackfillProgress?.none
        let batched = try measure { alone = try backfill(database, throttle: .zero) }
        try check(database, "backfill")

        try load(database)
        let quiet = try WriterLoad(url: url, writers: writers, rows: rows).run {
            Thread.sleep(forTimeInterval: baseline.timeInterval)
        }
        var busy = BackfillProgress?.none
        let loaded = try WriterLoad(url: url, writers: writers, rows: rows).run {
            busy = try backfill(database, throttle: throttle)
        }
        try check(database, "backfill with writers")
        let written = try database.withConnection {
            try $0.query("SELECT sum(w) FROM \(quoteIdentifier(Self.table))")[0].decode(Int.self, at: 0)
        }
        guard written == quiet.writes + loaded.writes else {
            throw BenchmarkError("writers made \(quiet.writes + loaded.writes) updates but \(written) are in the table")
        }
        return BackfillBenchmarkResult(
            dialect: url.dialect.description, serverVersion: version, rows: rows, batchSize: batchSize,
            throttleMilliseconds: throttle.milliseconds,
            batches: alone?.batches ?? 0, plainUpdateSeconds: plain, backfillSeconds: batched, writers: writers,
            writesAlone: quiet.writes, writesDuring: loaded.writes, p99AloneMilliseconds: quiet.p99.milliseconds,
            p99DuringMilliseconds: loaded.p99.milliseconds, maxDuringMilliseconds: loaded.slowest.milliseconds,
            longestBatchMilliseconds: (busy?.longestBatch ?? .zero).milliseconds,
            backfillWithWritersSeconds: loaded.elapsed.timeInterval)
    }

    /// Recreates the table with `rows` rows, and on PostgreSQL vacuums and analyses it, so that
    /// every phase starts from the same state.
    private func load(_ database: Database) throws {
        try database.withConnection { connection in
            let table = quoteIdentifier(Self.table)
            try connection.execute("DROP TABLE IF EXISTS \(table)")
            try connection.execute(
                "CREATE TABLE \(table) (id BIGINT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, w INTEGER NOT NULL DEFAULT 0, note TEXT)"
            )
            let p = connection.dialect.placeholder
            switch connection.dialect {
            case .postgres:
                try connection.execute(
                    "INSERT INTO \(table) (id, note) SELECT i, 'row ' || i FROM generate_series(1, \(p(1))::bigint) AS i",
                    [.integer(Int64(rows))])
                try connection.execute("VACUUM ANALYZE \(table)")
            case .sqlite:
                try connection.execute(
                    """
                    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < \(p(1)))
                    INSERT INTO \(table) (id, note) SELECT i, 'row ' || i FROM s
                    """, [.integer(Int64(rows))])
            }
            if try BackfillCheckpoint.load(Self.job, on: connection) != nil {
                try BackfillCheckpoint.clear(migration: Self.job.migration, on: connection)
            }
        }
    }

    private func backfill(_ database: Database, throttle: Duration) throws -> BackfillProgress {
        try database.withConnection { connection in
            try Backfiller(
                connection: connection, settings: BackfillSettings(batchSize: batchSize, throttle: throttle),
                logger: Logger(label: "tandem.bench.backfill", factory: { _ in SwiftLogNoOpLogHandler() })
            ).run(Self.backfill, job: Self.job)
        }
    }

    /// Every row was updated exactly once.
    private func check(_ database: Database, _ phase: String) throws {
        let wrong = try database.withConnection {
            try $0.query("SELECT count(*) FROM \(quoteIdentifier(Self.table)) WHERE n <> 1")[0].decode(Int.self, at: 0)
        }
        guard wrong == 0 else { throw BenchmarkError("\(phase): \(wrong) rows were not updated exactly once") }
    }
}

/// A benchmark whose own checks failed: its figures would be meaningless.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double { timeInterval * 1000 }
}
