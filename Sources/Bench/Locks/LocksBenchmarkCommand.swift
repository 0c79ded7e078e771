import ArgumentParser
import Foundation
import TandemDatabase
import TandemMigrations

/// `tandem-bench locks`: how long writers stall behind each operation kind's lock, with the
/// default settings, while a long read-only transaction holds the table.
struct LocksBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locks",
        abstract:
            "Writers' longest stall behind each operation kind's lock while a long reader holds the table (PostgreSQL).",
        discussion: """
            For each operation kind (add_column, create_index, add_foreign_key and add_check NOT VALID + VALIDATE, \
            set_not_null, rename_column's expand step, complete_rename, drop_column), on a fresh table of N rows: \
            writers update random rows, a read-only transaction holds the table for --reader-seconds, and \
            `tandem migrate --breaking` applies the operation with the default settings. Prints the longest single \
            update (the writers' stall), their p99, the migration's wall time, its lock attempts and waits, and the \
            machine's CPU pressure before and after (figures taken above 10 % are noise). Target: longest stall at most \
            250 ms for every operation whose lock PostgreSQL lets Tandem bound.
            """
    )

    @Option(help: "PostgreSQL URL. Default: $TANDEM_DATABASE_URL.")
    var database: String?

    @Option(help: "Rows in the table.")
    var rows = 10_000

    @Option(help: "Concurrent writers.")
    var writers = 2

    @Option(help: "How long the reader's transaction holds the table, in seconds.")
    var readerSeconds = 3.0

    @Option(
        help:
            "The per-attempt lock wait to measure with, in seconds (the default setting unless given; 2 was the old one)."
    )
    var ddlLockTimeout = MigrationSettings().ddlLockTimeout.timeInterval

    @Option(help: "Only this operation (as printed), for a quick look.")
    var only: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard rows > 0, writers > 0, readerSeconds > 0, ddlLockTimeout >= 0.001 else {
            throw ValidationError("--rows, --writers, --reader-seconds and --ddl-lock-timeout must be positive")
        }
        if let only, !LockOperation.all.contains(where: { $0.name == only }) {
            throw ValidationError(
                "--only \(only): expected one of \(LockOperation.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let url = try DatabaseURL.resolve(flag: database)
        guard url.dialect == .postgres else {
            throw ValidationError("locks measures PostgreSQL's lock queue: give a postgres:// URL")
        }
        let before = Self.cpuPressure()
        let operations = LockOperation.all.filter { only == nil || $0.name == only }
        let settings = MigrationSettings(ddlLockTimeout: .seconds(ddlLockTimeout))
        let figures = try LocksBenchmark(
            url: url, rows: rows, writers: writers, reader: .seconds(readerSeconds), settings: settings
        ).run(operations)
        let after = Self.cpuPressure()
        if json {
            struct Output: Encodable {
                let rows: Int
                let writers: Int
                let readerSeconds: Double
                let cpuPressureBefore: String
                let cpuPressureAfter: String
                let operations: [LocksBenchmark.Figure]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let output = Output(
                rows: rows, writers: writers, readerSeconds: readerSeconds, cpuPressureBefore: before,
                cpuPressureAfter: after, operations: figures)
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        print(
            "rows \(rows), writers \(writers), reader holds the table \(readerSeconds)s; lock wait per attempt \(ddlLockTimeout)s, other settings default"
        )
        print("cpu pressure before: \(before)")
        print(
            "operation".padding(toLength: 24, withPad: " ", startingAt: 0)
                + "  stall ms    p99 ms  migrate s  attempts  waited s  lock")
        for figure in figures {
            print(
                figure.operation.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %8.0f  %8.1f  %9.2f  %8d  %8.2f  ", figure.longestWriterStallMilliseconds,
                        figure.writerP99Milliseconds, figure.migrationSeconds, figure.lockAttempts,
                        figure.lockWaitSeconds) + figure.note)
        }
        print("cpu pressure after: \(after)")
    }

    /// The `some` line of `/proc/pressure/cpu`, or why there is none.
    static func cpuPressure() -> String {
        guard let text = try? String(contentsOfFile: "/proc/pressure/cpu", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("some") })
        else { return "unavailable (no /proc/pressure/cpu)" }
        return String(line)
    }
}
