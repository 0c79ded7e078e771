import Foundation
import Logging
import Synchronization
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

extension PostgresTimingTests {
    @Suite("A concurrent build that waits long says for whom")
    struct RuntimeWaitReportTests {
        /// A build waits for an old-code transaction that wrote the table; while it waits, the log
        /// names that session (pid, application name, its query's start, not its values), and the
        /// build finishes in one attempt once it commits. PostgreSQL only: SQLite has no concurrent
        /// builds.
        @Test func aWaitingConcurrentBuildNamesTheSessionItWaitsFor() async throws {
            let test = try TestDatabase(.postgres)
            defer { test.drop() }
            let scratch = try ScratchMigrations([
                "app/0001_base.yaml": compatibleFile(
                    """
                      - create_table: {name: app_indexed, columns: [{name: id, type: bigint}, {name: n, type: bigint}], primary_key: [id]}

                    """),
                "app/0002_index.yaml": compatibleFile("  - create_index: {table: app_indexed, columns: [n]}\n"),
            ])
            defer { scratch.remove() }
            var settings = quickSettings
            settings.waitReportInterval = .milliseconds(200)
            let lines = LogLines()
            var migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: settings)
            migrator.logger = Logger(label: "test") { _ in LineRecorder(lines: lines) }
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            let watched = migrator
            let reader = try Database(test.url, maximumConnections: 1)
            defer { reader.close() }
            let (report, pid) = try await onThread {
                try reader.withConnection { connection in
                    try connection.execute("SET application_name = 'nightly-report'")
                    let pid = try connection.query("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
                    let running = try connection.transaction {
                        try connection.execute(
                            "INSERT INTO app_indexed (id, n) VALUES ($1, $2)", [.integer(1), .integer(918_273_645)])
                        let running = ThreadRun { try watched.migrate() }
                        let deadline = ContinuousClock.now + .seconds(20)
                        while !lines.contains("nightly-report") && ContinuousClock.now < deadline {
                            Thread.sleep(forTimeInterval: 0.05)
                        }
                        return running
                    }
                    return (try running.wait(), pid)
                }
            }
            #expect(report.applied.map(\.description) == ["app/0002_index"])
            #expect(report.runs.first?.locks.attempts == 1)
            // A build waits for every older snapshot on the server: tests beside this one may show too.
            let line = try #require(lines.first { $0.contains("still waiting") && $0.contains("nightly-report") })
            #expect(line.contains("pid \(pid) (application \"nightly-report\")"))
            #expect(line.contains("INSERT INTO app_indexed (id, n) VALUES ($1, $2)"))
            #expect(!line.contains("918273645"))
        }
    }
}

/// Log messages, as several threads write them.
private final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }
    func first(where match: (String) -> Bool) -> String? { lines.withLock { $0.first(where: match) } }
}

/// A log handler that keeps every message.
private struct LineRecorder: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.message.description)
    }
}
