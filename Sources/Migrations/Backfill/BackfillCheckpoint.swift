import Foundation
import TandemDatabase

/// Which backfill a checkpoint belongs to: a migration and the position of the operation in it.
public struct BackfillJob: Sendable, Hashable, CustomStringConvertible {
    /// The migration, as ``MigrationID`` prints it (`core/0004_states`), or any name a program
    /// running its own backfills chooses.
    public let migration: String
    /// The operation's 0-based position in the migration's `operations:`.
    public let operation: Int

    /// Creates a job name.
    public init(migration: String, operation: Int) {
        self.migration = migration
        self.operation = operation
    }

    /// The job of operation `operation` of `migration`.
    public init(_ migration: MigrationID, operation: Int) {
        self.init(migration: migration.description, operation: operation)
    }

    /// `core/0004_states#2`.
    public var description: String { "\(migration)#\(operation)" }
}

/// One row of `tandem_backfills`: how far a backfill got. Written in the same transaction as
/// each batch, so it never claims a row that was not updated nor misses one that was.
///
/// Columns: `migration` and `operation` (the primary key, see ``BackfillJob``), `table_name`,
/// `definition` (the backfill's `UPDATE` without bounds, see ``Backfill/definition``),
/// `last_key` (JSON array of the last key done; NULL before the first batch), `rows_done`,
/// `rows_total` (counted once at the start: an estimate), `batches`, `started_at`,
/// `updated_at`, and `finished_at` (NULL while the backfill is unfinished).
public struct BackfillCheckpoint: Sendable, Hashable, Encodable {
    /// The table's name.
    public static let tableName = "tandem_backfills"

    /// Which backfill.
    public let job: BackfillJob
    /// The table it walks.
    public let table: String
    /// What it does (``Backfill/definition``); a resumed backfill must do the same.
    public let definition: String
    /// The JSON array of the last key done, nil before the first batch.
    public let lastKey: String?
    /// Rows updated so far.
    public let rowsDone: Int
    /// Rows to update, as counted when the backfill started.
    public let rowsTotal: Int
    /// Batches committed so far.
    public let batches: Int
    /// When the backfill started.
    public let startedAt: Date
    /// When the last batch committed.
    public let updatedAt: Date
    /// When the last batch committed, once there are no rows left; nil before.
    public let finishedAt: Date?

    /// Whether every row was done.
    public var isFinished: Bool { finishedAt != nil }

    /// Creates the table when it does not exist yet.
    public static func createTable(on connection: Connection) throws {
        let time = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        let sql = """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(tableName)) (
                migration TEXT NOT NULL,
                operation INTEGER NOT NULL,
                table_name TEXT NOT NULL,
                definition TEXT NOT NULL,
                last_key TEXT,
                rows_done BIGINT NOT NULL,
                rows_total BIGINT NOT NULL,
                batches BIGINT NOT NULL,
                started_at \(time) NOT NULL,
                updated_at \(time) NOT NULL,
                finished_at \(time),
                PRIMARY KEY (migration, operation)
            )
            """
        do {
            try connection.execute(sql)
        } catch let error as DatabaseError where error.isUniqueViolation && !connection.isInTransaction {
            // Two runners created it at once on PostgreSQL; the other one won.
        }
    }

    /// Every checkpoint, by migration and operation; empty when the table does not exist yet.
    /// `tandem status` shows these as backfill progress.
    public static func all(on connection: Connection) throws -> [BackfillCheckpoint] {
        guard try tableExists(on: connection) else { return [] }
        return try connection.query(
            "SELECT \(columns) FROM \(quoteIdentifier(tableName)) ORDER BY migration, operation"
        )
        .map(Self.init)
    }

    /// The checkpoint of `job`, nil when it has none.
    public static func load(_ job: BackfillJob, on connection: Connection) throws -> BackfillCheckpoint? {
        guard try tableExists(on: connection) else { return nil }
        let p = connection.dialect.placeholder
        return try connection.query(
            "SELECT \(columns) FROM \(quoteIdentifier(tableName)) WHERE migration = \(p(1)) AND operation = \(p(2))",
            [.text(job.migration), .integer(Int64(job.operation))]
        ).first.map(Self.init)
    }

    /// For each migration with checkpoints, the highest operation index among them: a run that
    /// stopped there committed every operation before it, so the next run resumes at it.
    public static func resumePoints(on connection: Connection) throws -> [String: Int] {
        guard try tableExists(on: connection) else { return [:] }
        let rows = try connection.query(
            "SELECT migration, max(operation) FROM \(quoteIdentifier(tableName)) GROUP BY migration")
        var points: [String: Int] = [:]
        for row in rows { points[try row.decode(String.self, at: 0)] = try row.decode(Int.self, at: 1) }
        return points
    }

    /// Removes the checkpoints of `migration`: the runner does it in the transaction that
    /// records the migration as applied (or undone), so a later run starts afresh.
    public static func clear(migration: String, on connection: Connection) throws {
        guard try tableExists(on: connection) else { return }
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE migration = \(connection.dialect.placeholder(1))",
            [.text(migration)])
    }

    /// Removes the checkpoint of `job`: the runner does it when the backfill failed before its
    /// first batch, so the step is undone whole and the next run starts afresh.
    public static func remove(_ job: BackfillJob, on connection: Connection) throws {
        guard try tableExists(on: connection) else { return }
        let p = connection.dialect.placeholder
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE migration = \(p(1)) AND operation = \(p(2))",
            [.text(job.migration), .integer(Int64(job.operation))])
    }

    /// Records a backfill's start, before its first batch.
    static func start(
        _ job: BackfillJob, backfill: Backfill, rowsTotal: Int, on connection: Connection
    ) throws -> BackfillCheckpoint {
        let now = Date()
        let p = connection.dialect.placeholder
        try connection.execute(
            """
            INSERT INTO \(quoteIdentifier(tableName))
                (migration, operation, table_name, definition, last_key, rows_done, rows_total, batches, started_at,
                 updated_at, finished_at)
            VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), NULL, 0, \(p(5)), 0, \(p(6)), \(p(6)), NULL)
            """,
            [
                .text(job.migration), .integer(Int64(job.operation)), .text(backfill.table),
                .text(backfill.definition), .integer(Int64(rowsTotal)), .timestamp(now),
            ])
        return BackfillCheckpoint(
            job: job, table: backfill.table, definition: backfill.definition, lastKey: nil, rowsDone: 0,
            rowsTotal: rowsTotal, batches: 0, startedAt: now, updatedAt: now, finishedAt: nil)
    }

    /// This checkpoint after one more batch of `rows` rows ending at `lastKey` (nil for the
    /// last batch, which finishes the backfill); written in the batch's transaction.
    func advanced(rows: Int, lastKey: String?, on connection: Connection) throws -> BackfillCheckpoint {
        let now = Date()
        let next = BackfillCheckpoint(
            job: job, table: table, definition: definition, lastKey: lastKey ?? self.lastKey,
            rowsDone: rowsDone + rows, rowsTotal: rowsTotal, batches: batches + 1, startedAt: startedAt,
            updatedAt: now, finishedAt: lastKey == nil ? now : nil)
        let p = connection.dialect.placeholder
        let written = try connection.execute(
            """
            UPDATE \(quoteIdentifier(Self.tableName))
            SET last_key = \(p(1)), rows_done = \(p(2)), batches = \(p(3)), updated_at = \(p(4)), finished_at = \(p(5))
            WHERE migration = \(p(6)) AND operation = \(p(7)) AND batches = \(p(8))
            """,
            [
                next.lastKey.map(DatabaseValue.text) ?? .null, .integer(Int64(next.rowsDone)),
                .integer(Int64(next.batches)), .timestamp(now), next.finishedAt.map(DatabaseValue.timestamp) ?? .null,
                .text(job.migration), .integer(Int64(job.operation)), .integer(Int64(batches)),
            ])
        // Another runner moved the checkpoint since this one read it: committing this batch
        // would update its rows a second time.
        guard written == 1 else {
            throw MigrationRefusal(
                .backfillContended(job),
                "backfill \(job) is being run by another process: its checkpoint moved past batch \(batches)")
        }
        return next
    }

    enum CodingKeys: String, CodingKey {
        case migration, operation, table, definition, lastKey = "last_key", rowsDone = "rows_done"
        case rowsTotal = "rows_total", batches, startedAt = "started_at", updatedAt = "updated_at"
        case finishedAt = "finished_at"
    }

    /// The JSON form `tandem status --json` prints under `backfills`: the columns, with the job's
    /// `migration` and `operation` and the table as `table`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(job.migration, forKey: .migration)
        try container.encode(job.operation, forKey: .operation)
        try container.encode(table, forKey: .table)
        try container.encode(definition, forKey: .definition)
        try container.encode(lastKey, forKey: .lastKey)
        try container.encode(rowsDone, forKey: .rowsDone)
        try container.encode(rowsTotal, forKey: .rowsTotal)
        try container.encode(batches, forKey: .batches)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }

    private static let columns =
        "migration, operation, table_name, definition, last_key, rows_done, rows_total, batches, started_at, updated_at, finished_at"

    private init(
        job: BackfillJob, table: String, definition: String, lastKey: String?, rowsDone: Int, rowsTotal: Int,
        batches: Int, startedAt: Date, updatedAt: Date, finishedAt: Date?
    ) {
        self.job = job
        self.table = table
        self.definition = definition
        self.lastKey = lastKey
        self.rowsDone = rowsDone
        self.rowsTotal = rowsTotal
        self.batches = batches
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
    }

    private init(_ row: Row) throws {
        self.init(
            job: BackfillJob(
                migration: try row.decode(String.self, "migration"), operation: try row.decode(Int.self, "operation")),
            table: try row.decode(String.self, "table_name"), definition: try row.decode(String.self, "definition"),
            lastKey: try row.decode(String?.self, "last_key"), rowsDone: try row.decode(Int.self, "rows_done"),
            rowsTotal: try row.decode(Int.self, "rows_total"), batches: try row.decode(Int.self, "batches"),
            startedAt: try row.decode(Date.self, "started_at"), updatedAt: try row.decode(Date.self, "updated_at"),
            finishedAt: try row.decode(Date?.self, "finished_at"))
    }

    /// Whether `tandem_backfills` exists, so that reading it never creates it.
    private static func tableExists(on connection: Connection) throws -> Bool {
        let p = connection.dialect.placeholder
        let sql =
            connection.dialect == .postgres
            ? "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = \(p(1)) AND schemaname = current_schema()"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = \(p(1))"
        return try connection.query(sql, [.text(tableName)])[0].decode(Int.self, at: 0) > 0
    }
}
