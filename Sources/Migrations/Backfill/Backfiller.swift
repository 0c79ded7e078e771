import Foundation
import Logging
import TandemDatabase
import TandemSchema

/// Runs a ``Backfill``: walks its table by primary key in batches, each its own short
/// transaction that updates the batch and advances the checkpoint in `tandem_backfills`
/// together. A run stopped anywhere (killed, Ctrl-C, a failure) resumes after the last
/// committed batch, so every row is updated exactly once.
///
/// ```swift
/// let backfill = Backfill(table: "core_task", set: [.init("state_code", "length(state)")], where: "state_code IS NULL")
/// try database.withConnection { connection in
///     try Backfiller(connection: connection, settings: BackfillSettings(batchSize: 5000))
///         .run(backfill, job: BackfillJob(migration: "core/0004_states", operation: 1))
/// }
/// ```
///
/// On PostgreSQL each batch sets `lock_timeout` and `statement_timeout` for its transaction, so
/// it never holds row locks for long and writers wait for one batch at most. A batch that times
/// out waiting for a lock (SQLite: busy), or is chosen as a deadlock victim, is retried with
/// backoff; one that exceeds the statement timeout is retried with half as many rows.
///
/// Rows are visited in key order; rows inserted with a key beyond the cursor are picked up,
/// rows inserted behind it are not: whoever inserts them must write the backfilled columns
/// (the dual-write triggers of a rename or type change do). The total is counted once, when the
/// backfill first starts, for progress only.
public struct Backfiller: Sendable {
    /// The connection the batches run on; it must not be in a transaction.
    public let connection: Connection
    /// Batch size, throttle, timeouts and retries.
    public var settings: BackfillSettings
    /// A stop request checked between batches, nil for none.
    public var interruption: BackfillInterruption?
    /// Where retries and the start and end of each backfill are logged.
    public var logger: Logger
    /// Called after every committed batch (and once at the start), on the running thread.
    public var onProgress: (@Sendable (BackfillProgress) -> Void)?

    /// Creates a backfiller.
    public init(
        connection: Connection, settings: BackfillSettings = BackfillSettings(),
        interruption: BackfillInterruption? = nil, logger: Logger = Logger(label: "tandem.backfill"),
        onProgress: (@Sendable (BackfillProgress) -> Void)? = nil
    ) {
        self.connection = connection
        self.settings = settings
        self.interruption = interruption
        self.logger = logger
        self.onProgress = onProgress
    }

    /// Runs `backfill` to its end, resuming the checkpoint of `job` if it has one, and returns
    /// the final progress. A finished checkpoint returns at once.
    ///
    /// - Throws: ``OperationError`` when the table does not exist or has no primary key;
    ///   ``MigrationRefusal`` when the checkpoint of `job` was written by another definition
    ///   (the file was edited mid-way); ``BackfillInterrupted`` after a stop request;
    ///   ``BackfillError`` when a batch fails for good. Batches done stay done and checkpointed.
    @discardableResult
    public func run(_ backfill: Backfill, job: BackfillJob) throws -> BackfillProgress {
        precondition(!connection.isInTransaction, "each batch of a backfill is its own transaction")
        let key = try primaryKey(of: backfill.table)
        let statements = BackfillStatements(dialect: connection.dialect, backfill: backfill, key: key)
        let saved = try retrying(job, backfill.table, "starting") {
            try BackfillCheckpoint.createTable(on: connection)
            return try checkpoint(job, backfill, statements)
        }
        var walk = BackfillWalk(
            checkpoint: saved, statements: statements,
            batchSize: backfill.batchSize ?? settings.batchSize)
        var cursor = try walk.cursor(key)
        if cursor == .finished { return walk.progress }
        walk.quietMode = try BackfillQuietMode.choose(for: backfill, job: job, on: connection, logger: logger)
        logger.info(
            "backfill \(job) of \(backfill.table): \(cursor == .start ? "starting" : "resuming after key \(walk.checkpoint.lastKey ?? "")"), ~\(walk.checkpoint.rowsTotal) rows, \(walk.batchSize) per batch"
        )
        onProgress?(walk.progress)
        while true {
            if interruption?.isRequested == true {
                throw BackfillInterrupted(progress: walk.progress, lastKey: walk.checkpoint.lastKey)
            }
            cursor = try batch(from: cursor, walk: &walk, key: key)
            onProgress?(walk.progress)
            if cursor == .finished {
                logger.info("\(BackfillProgressDisplay.line(for: walk.progress))")
                return walk.progress
            }
            try pause()
        }
    }

    /// One batch from `cursor`, retried as the settings say; where the next one starts.
    private func batch(from cursor: BackfillCursor, walk: inout BackfillWalk, key: BackfillKey) throws
        -> BackfillCursor
    {
        let started = ContinuousClock.now
        var size = walk.batchSize
        let (rows, last, checkpoint) = try retrying(
            walk.checkpoint.job, walk.checkpoint.table, "a batch after key \(walk.checkpoint.lastKey ?? "(start)")",
            onStatementTimeout: { size = max(1, size / 2) }
        ) { [walk] in
            try connection.transaction { try batchTransaction(after: cursor.values, size: size, walk: walk, key: key) }
        }
        walk.batchSize = size
        walk.finished(batch: ContinuousClock.now - started, rows: rows, checkpoint: checkpoint)
        return last.map(BackfillCursor.after) ?? .finished
    }

    /// Runs `body` until it succeeds, retrying with backoff what waiting can cure: lock timeouts
    /// and SQLite busy, deadlocks, serialization failures, and statement timeouts (after which
    /// `onStatementTimeout` shrinks the work).
    private func retrying<T>(
        _ job: BackfillJob, _ table: String, _ what: String, onStatementTimeout: () -> Void = {},
        _ body: () throws -> T
    ) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.isTransientConflict && attempt < settings.attempts {
                if Self.isStatementTimeout(error) { onStatementTimeout() }
                let delay = settings.delay(beforeRetry: attempt)
                logger.warning(
                    "backfill \(job): \(what): attempt \(attempt) failed (\(error.message)); retrying in \(delay)")
                attempt += 1
                Thread.sleep(forTimeInterval: delay.timeInterval)
            } catch let error as DatabaseError {
                throw BackfillError(
                    job: job, table: table, message: "\(what) failed after \(attempt) attempt(s)", underlying: error)
            }
        }
    }

    /// The statements of one batch, inside its transaction.
    private func batchTransaction(after cursor: [DatabaseValue], size: Int, walk: BackfillWalk, key: BackfillKey)
        throws -> (rows: Int, last: [DatabaseValue]?, checkpoint: BackfillCheckpoint)
    {
        let statements = walk.statements
        if connection.dialect == .postgres {
            let timeouts = statements.timeouts(settings)
            _ = try connection.query(timeouts.sql, timeouts.values)
        }
        let afterCursor = !cursor.isEmpty
        let last = try connection.query(statements.boundary(afterCursor: afterCursor, batch: size), cursor).first?
            .values
        let rows = try walk.quietMode.around(table: walk.checkpoint.table, on: connection) { quiet in
            try connection.execute(
                statements.update(afterCursor: afterCursor, bounded: last != nil, quiet: quiet), cursor + (last ?? []))
        }
        let checkpoint = try walk.checkpoint.advanced(rows: rows, lastKey: last.map(key.encode), on: connection)
        return (rows, last, checkpoint)
    }

    /// The checkpoint to go on from: the saved one, or a new one with the rows counted.
    private func checkpoint(_ job: BackfillJob, _ backfill: Backfill, _ statements: BackfillStatements) throws
        -> BackfillCheckpoint
    {
        if let saved = try BackfillCheckpoint.load(job, on: connection) {
            guard saved.definition == backfill.definition else {
                throw MigrationRefusal(
                    .backfillChanged(job),
                    "backfill \(job) was started as '\(saved.definition)' and is now '\(backfill.definition)': "
                        + "the migration changed while its backfill was half done; restore the file, or delete the "
                        + "row of \(BackfillCheckpoint.tableName) to start over knowing some rows were already updated")
            }
            return saved
        }
        let total = try connection.query(statements.count)[0].decode(Int.self, at: 0)
        return try BackfillCheckpoint.start(job, backfill: backfill, rowsTotal: total, on: connection)
    }

    /// The table's primary key columns.
    private func primaryKey(of table: String) throws -> BackfillKey {
        guard let found = try connection.introspectTable(table) else {
            throw OperationError("backfill: table \(table) does not exist")
        }
        guard !found.primaryKey.isEmpty else {
            throw OperationError("backfill: table \(table) has no primary key to walk in batches")
        }
        return BackfillKey(columns: found.primaryKey)
    }

    /// The throttle, cut short by a stop request.
    private func pause() throws {
        let end = ContinuousClock.now + settings.throttle
        while ContinuousClock.now < end, interruption?.isRequested != true {
            Thread.sleep(forTimeInterval: min(0.05, (end - ContinuousClock.now).timeInterval))
        }
    }

    /// PostgreSQL's `statement_timeout` cancelled the statement.
    static func isStatementTimeout(_ error: DatabaseError) -> Bool {
        error.dialect == .postgres && error.code == "57014"
    }
}

/// Where the next batch starts.
private enum BackfillCursor: Equatable {
    /// At the first row.
    case start
    /// After this key.
    case after([DatabaseValue])
    /// Nowhere: every row is done.
    case finished

    /// The values bound for the cursor; empty at the start.
    var values: [DatabaseValue] {
        if case .after(let values) = self { return values }
        return []
    }
}

/// A backfill's state while it runs.
private struct BackfillWalk {
    var checkpoint: BackfillCheckpoint
    let statements: BackfillStatements
    var batchSize: Int
    /// How the batches keep the application's triggers from firing.
    var quietMode = BackfillQuietMode.off
    let started = ContinuousClock.now
    var rowsThisRun = 0
    var lastBatch = Duration.zero
    var longestBatch = Duration.zero

    /// Where the checkpoint says to go on.
    func cursor(_ key: BackfillKey) throws -> BackfillCursor {
        if checkpoint.isFinished { return .finished }
        guard let text = checkpoint.lastKey else { return .start }
        guard let values = key.decode(text) else {
            throw MigrationRefusal(
                .backfillCheckpointInvalid(checkpoint.job),
                "backfill \(checkpoint.job): the checkpoint's last key \(text) does not fit the primary key (\(key.columns.joined(separator: ", "))) of \(checkpoint.table)"
            )
        }
        return .after(values)
    }

    mutating func finished(batch duration: Duration, rows: Int, checkpoint: BackfillCheckpoint) {
        self.checkpoint = checkpoint
        rowsThisRun += rows
        lastBatch = duration
        longestBatch = max(longestBatch, duration)
    }

    var progress: BackfillProgress {
        BackfillProgress(
            job: checkpoint.job, table: checkpoint.table, rowsDone: checkpoint.rowsDone,
            rowsTotal: max(checkpoint.rowsTotal, checkpoint.rowsDone), batches: checkpoint.batches,
            rowsThisRun: rowsThisRun, elapsed: ContinuousClock.now - started, lastBatch: lastBatch,
            longestBatch: longestBatch, isFinished: checkpoint.isFinished)
    }
}
