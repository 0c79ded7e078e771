import ArgumentParser
import Foundation
import TandemDatabase

/// `tandem-bench triggers`: write throughput with the dual-write triggers, as a ratio to the
/// same table without them.
struct TriggersBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggers",
        abstract: "Insert and update throughput with dual-write triggers, as a ratio to the same table without them.",
        discussion: """
            Two identical tables (id, old_value, new_value, note); one gets the column sync old_value <-> new_value. \
            Each phase runs the same single-row statements, through the driver with bound values, on both tables, \
            in transactions of --batch statements so that commit cost does not hide the triggers' cost. The tables \
            take turns batch by batch, so both run under the same load; each side's figure is its median over the \
            rounds. The ratio is the synced table's throughput over the plain table's (target: at least 0.8). \
            Uses the tables bench_sync_plain and bench_sync_dual, dropped and recreated.
            """
    )

    @Option(
        help: "Database URL (postgres://…, sqlite:path). Default: $TANDEM_DATABASE_URL, else sqlite:tandem.sqlite3.")
    var database: String?

    @Option(help: "Rows inserted, and rows updated, per phase and round.")
    var count = 20_000

    @Option(help: "How many rounds; each side's figure is its median.")
    var rounds = 3

    @Option(help: "Statements per transaction.")
    var batch = 1_000

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard count > 0, rounds > 0, batch > 0 else {
            throw ValidationError("--count, --rounds and --batch must be positive")
        }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        let database = try Database(url: url, maximumConnections: 1)
        defer { database.close() }
        let report = try database.withConnection { connection in
            try TriggersBenchmark(connection: connection, count: count, rounds: rounds, batch: batch).run()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
