import ArgumentParser
import Foundation
import TandemDatabase

/// `tandem-bench backfill`: a batched backfill against one plain `UPDATE`, and what it costs
/// concurrent writers.
struct BackfillBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Time a batched backfill of N rows against one plain UPDATE, and writers' p99 latency during it.",
        discussion: """
            (a) The same rows are updated once by a plain UPDATE and once by Tandem's backfill (batches by primary key, \
            each its own transaction with its checkpoint); the ratio is the backfill's time over the UPDATE's \
            (target: at most 2). (b) Writers, each on its own connection, update random rows for a while alone, then \
            during the same backfill; the ratio is their p99 latency during over alone (target: at most 3), printed \
            with the longest batch. Uses the table bench_backfill, dropped and recreated for each phase.
            """
    )

    @Option(
        help: "Database URL (postgres://…, sqlite:path). Default: $TANDEM_DATABASE_URL, else sqlite:tandem.sqlite3.")
    var database: String?

    @Option(help: "How many rows to backfill.")
    var rows = 1_000_000

    @Option(help: "Rows per batch.")
    var batchSize = 1000

    @Option(help: "Concurrent writers.")
    var writers = 4

    @Option(
        help:
            "Pause between batches of the backfill that runs beside the writers (b), in milliseconds; (a) never pauses."
    )
    var throttleMs = 0

    @Option(help: "How long the writers run alone, for their baseline latency, in seconds.")
    var baselineSeconds = 5.0

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard rows > 0, batchSize > 0, writers > 0, baselineSeconds > 0, throttleMs >= 0 else {
            throw ValidationError(
                "--rows, --batch-size, --writers and --baseline-seconds must be positive, --throttle-ms not negative")
        }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        if case .sqliteMemory = url.location {
            throw ValidationError("use a SQLite file: writers need their own connections to one database")
        }
        let benchmark = BackfillBenchmark(
            url: url, rows: rows, batchSize: batchSize, writers: writers, baseline: .seconds(baselineSeconds),
            throttle: .milliseconds(throttleMs))
        let result = try benchmark.run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.table)
        }
    }
}
