import Foundation
import Logging
import TandemDatabase
import TandemMigrations

/// `tandem-bench locks`: each operation kind run with the default ``MigrationSettings`` while
/// writers update the table and a long read-only transaction holds it.
struct LocksBenchmark {
    let url: DatabaseURL
    let rows: Int
    let writers: Int
    let reader: Duration
    /// The settings the migrations run with: the defaults, or another lock wait to compare.
    let settings: MigrationSettings

    /// One operation's figures.
    struct Figure: Encodable {
        let operation: String
        let longestWriterStallMilliseconds: Double
        let writerP99Milliseconds: Double
        let writes: Int
        let migrationSeconds: Double
        let lockAttempts: Int
        let lockWaitSeconds: Double
        let note: String
    }

    func run(_ operations: [LockOperation]) throws -> [Figure] {
        try operations.enumerated().map { number, operation in
            try inScratchSchema(number) { url in try measure(operation, on: url) }
        }
    }

    private func measure(_ operation: LockOperation, on url: DatabaseURL) throws -> Figure {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-locks-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let component = folder.appendingPathComponent("bench")
        try FileManager.default.createDirectory(at: component, withIntermediateDirectories: true)
        var files = operation.preparation
        files["0001_base.yaml"] = LockOperation.base
        for (name, yaml) in files { try Data(yaml.utf8).write(to: component.appendingPathComponent(name)) }
        let database = try Database(url: url, maximumConnections: 1)
        defer { database.close() }
        var logger = Logger(label: "tandem.bench.locks")
        logger.logLevel = .error
        let prepared = Migrator(
            database: database, migrations: try Lint.load(directory: folder.path).set, logger: logger)
        try prepared.migrate()
        try load(database)

        try Data(operation.measured.yaml.utf8).write(to: component.appendingPathComponent(operation.measured.file))
        let migrator = Migrator(
            database: database, migrations: try Lint.load(directory: folder.path).set, settings: settings,
            logger: logger)
        var report: MigrationReport?
        var wall = Duration.zero
        let load = WriterLoad(url: url, writers: writers, rows: rows, table: LockOperation.table)
        let figures = try load.run {
            Thread.sleep(forTimeInterval: 0.5)
            try holdingTheTable(on: url) {
                let start = ContinuousClock.now
                report = try migrator.migrate(MigrationRequest(breaking: true))
                wall = ContinuousClock.now - start
            }
        }
        guard let run = report?.runs.last, run.step.migration.id.name == "measured" else {
            throw BenchmarkError("\(operation.name): the measured migration did not run")
        }
        return Figure(
            operation: operation.name, longestWriterStallMilliseconds: figures.slowest.milliseconds,
            writerP99Milliseconds: figures.p99.milliseconds, writes: figures.writes,
            migrationSeconds: wall.timeInterval, lockAttempts: run.locks.attempts,
            lockWaitSeconds: run.locks.waited.timeInterval, note: operation.note)
    }

    /// Runs `body` while another session holds the table in a read-only transaction
    /// (`SELECT count(*)`, then idle) for ``reader``, as a report or `pg_dump` would; returns
    /// once both are done.
    private func holdingTheTable(on url: DatabaseURL, _ body: () throws -> Void) throws {
        let database = try Database(url: url, maximumConnections: 1)
        defer { database.close() }
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        Thread.detachNewThread { [reader] in
            defer { done.signal() }
            do {
                try database.withConnection { connection in
                    try connection.transaction {
                        _ = try connection.query("SELECT count(*) FROM \(quoteIdentifier(LockOperation.table))")
                        holding.signal()
                        Thread.sleep(forTimeInterval: reader.timeInterval)
                    }
                }
            } catch {
                failure = error
                holding.signal()
            }
        }
        holding.wait()
        let outcome = Result { try body() }
        done.wait()
        if let failure { throw failure }
        try outcome.get()
    }

    /// Fills the table: `rows` rows whose parent exists and whose `n` is positive.
    private func load(_ database: Database) throws {
        try database.withConnection { connection in
            try connection.execute("INSERT INTO bench_locks_parent (id) VALUES (1)")
            try connection.execute(
                """
                INSERT INTO \(quoteIdentifier(LockOperation.table)) (id, w, parent_id, n, old)
                SELECT g, 0, 1, g, 'row ' || g FROM generate_series(1, \(rows)) AS g
                """)
            try connection.execute("VACUUM ANALYZE \(quoteIdentifier(LockOperation.table))")
        }
    }

    /// Runs `body` against a schema of its own, dropped afterwards, so every operation starts
    /// from the same empty database.
    private func inScratchSchema<T>(_ number: Int, _ body: (DatabaseURL) throws -> T) throws -> T {
        let schema = "tandem_bench_locks_\(ProcessInfo.processInfo.processIdentifier)_\(number)"
        let admin = try Database(url: url, maximumConnections: 1)
        defer { admin.close() }
        try admin.withConnection { try $0.execute("CREATE SCHEMA \(quoteIdentifier(schema))") }
        defer { _ = try? admin.withConnection { try $0.execute("DROP SCHEMA \(quoteIdentifier(schema)) CASCADE") } }
        let text = url.string
        let scoped = try DatabaseURL(text + (text.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)")
        return try body(scoped)
    }
}
