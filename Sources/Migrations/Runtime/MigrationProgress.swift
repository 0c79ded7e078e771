import Foundation
import TandemDatabase

/// One row of `tandem_migration_progress`: how much of an operation of a pending migration a run
/// committed before it stopped (failed, interrupted, killed).
///
/// Columns: `migration` (``MigrationID`` as printed) and `operation` (the 0-based position of the
/// operation in the planned step, column changes counted as their primitive operations; the
/// primary key), `summary` (what the operation does, for people), `statements_done` and
/// `statements_total` (its statements committed, of all), `cleanup` (while a statement PostgreSQL
/// runs outside a transaction, a `CONCURRENTLY` build, is under way: the SQL that removes what it
/// leaves if the runner dies; NULL otherwise), `checksum` (the SHA-256 of the file the run
/// applied), `host` and `pid` (the runner) and `done_at` (when the row was last written).
public struct OperationProgress: Sendable, Hashable, Encodable {
    /// The migration.
    public let migration: String
    /// The operation's position in the planned step.
    public let operation: Int
    /// What the operation does.
    public let summary: String
    /// How many of its statements committed.
    public let statementsDone: Int
    /// How many statements it has.
    public let statementsTotal: Int
    /// While a concurrent build of it runs (or after its runner died in one): what removes the
    /// build's leftovers; the next run runs it first.
    public let cleanup: String?
    /// The checksum of the file the run applied.
    public let checksum: String
    /// The host of the runner.
    public let host: String
    /// The process identifier of the runner.
    public let pid: Int
    /// Whether all of its statements committed.
    public var isComplete: Bool { statementsDone >= statementsTotal }

    /// When its last committed statement committed, by the runner's clock.
    public let doneAt: Date

    enum CodingKeys: String, CodingKey {
        case migration, operation, summary, checksum, host, pid, doneAt = "done_at"
        case statementsDone = "statements_done", statementsTotal = "statements_total", cleanup
    }
}

/// The progress record, `tandem_migration_progress`: which operations of a pending migration an
/// earlier run committed. A row is written in the transaction that commits its operation (right
/// after the statement, for one PostgreSQL runs outside a transaction), removed when the operation
/// is undone after a failure, and all rows of a migration go in the transaction that records it in
/// the ledger. The next run resumes after the operations recorded here, and refuses when the file
/// changed since (``MigrationRefusal/Reason/startedFileChanged(_:)``).
public enum MigrationProgress {
    /// The table's name.
    public static let tableName = "tandem_migration_progress"

    /// The `migration` of a step's rows: the migration's identifier, followed by ` (undo)` for a
    /// step of `tandem migrate --to` that undoes it.
    public static func key(_ migration: MigrationID, _ direction: PlannedStep.Direction) -> String {
        direction == .apply ? migration.description : migration.description + undoSuffix
    }

    /// What ``key(_:_:)`` appends for an undo step.
    static let undoSuffix = " (undo)"

    /// Creates the table when it does not exist yet.
    static func createTable(on connection: Connection) throws {
        let time = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try ComponentRegistry.createIfMissing(
            """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(tableName)) (
                migration TEXT NOT NULL,
                operation INTEGER NOT NULL,
                summary TEXT NOT NULL,
                statements_done INTEGER NOT NULL,
                statements_total INTEGER NOT NULL,
                cleanup TEXT,
                checksum TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                done_at \(time) NOT NULL,
                PRIMARY KEY (migration, operation)
            )
            """, on: connection)
    }

    /// Every row, by migration and operation; empty when the table does not exist yet.
    public static func all(on connection: Connection) throws -> [OperationProgress] {
        let rows: [Row]
        do {
            rows = try connection.query(
                """
                SELECT migration, operation, summary, statements_done, statements_total, cleanup, checksum, host, pid,
                    done_at
                FROM \(quoteIdentifier(tableName)) ORDER BY migration, operation
                """)
        } catch let error as DatabaseError where error.isMissingTable {
            return []
        }
        return try rows.map { row in
            OperationProgress(
                migration: try row.decode(String.self, "migration"), operation: try row.decode(Int.self, "operation"),
                summary: try row.decode(String.self, "summary"),
                statementsDone: try row.decode(Int.self, "statements_done"),
                statementsTotal: try row.decode(Int.self, "statements_total"),
                cleanup: try row.decode(String?.self, "cleanup"), checksum: try row.decode(String.self, "checksum"),
                host: try row.decode(String.self, "host"), pid: try row.decode(Int.self, "pid"),
                doneAt: try row.decode(Date.self, "done_at"))
        }
    }

    /// Records that `done` of the `total` statements of operation `index` of `migration` committed;
    /// run in the transaction that commits the last of them. With a `cleanup`, records instead
    /// that the next statement, one PostgreSQL runs outside a transaction, is starting, and what
    /// removes its leftovers should the runner die in it.
    static func record(
        _ migration: Migration, _ direction: PlannedStep.Direction, operation index: Int, summary: String, done: Int,
        total: Int, cleanup: String? = nil, on connection: Connection
    ) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            """
            INSERT INTO \(quoteIdentifier(tableName))
                (migration, operation, summary, statements_done, statements_total, cleanup, checksum, host, pid, done_at)
            VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)), \(p(7)), \(p(8)), \(p(9)), \(p(10)))
            ON CONFLICT (migration, operation) DO UPDATE SET summary = excluded.summary,
                statements_done = excluded.statements_done, statements_total = excluded.statements_total,
                cleanup = excluded.cleanup, checksum = excluded.checksum, host = excluded.host, pid = excluded.pid,
                done_at = excluded.done_at
            """,
            [
                .text(key(migration.id, direction)), .integer(Int64(index)), .text(summary), .integer(Int64(done)),
                .integer(Int64(total)), cleanup.map(DatabaseValue.text) ?? .null, .text(migration.checksum),
                .text(ProcessInfo.processInfo.hostName), .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
                .timestamp(Date()),
            ])
    }

    /// Records the statement `row` had started as committed (a concurrent index build that
    /// finished before its run died), without its cleanup.
    static func built(_ row: OperationProgress, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "UPDATE \(quoteIdentifier(tableName)) SET statements_done = statements_done + 1, cleanup = NULL "
                + "WHERE migration = \(p(1)) AND operation = \(p(2))",
            [.text(row.migration), .integer(Int64(row.operation))])
    }

    /// Marks the cleanup of `row` done: the row goes when no statement of its operation committed.
    static func cleaned(_ row: OperationProgress, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        let sql =
            row.statementsDone == 0
            ? "DELETE FROM \(quoteIdentifier(tableName)) WHERE migration = \(p(1)) AND operation = \(p(2))"
            : "UPDATE \(quoteIdentifier(tableName)) SET cleanup = NULL WHERE migration = \(p(1)) AND operation = \(p(2))"
        try connection.execute(sql, [.text(row.migration), .integer(Int64(row.operation))])
    }

    /// Removes the row of operation `index`: it was undone.
    static func remove(_ key: String, operation index: Int, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE migration = \(p(1)) AND operation = \(p(2))",
            [.text(key), .integer(Int64(index))])
    }

    /// Removes every row of `migration`, applying and undoing; run in the transaction that
    /// records it in the ledger or removes it from there.
    static func clear(_ migration: MigrationID, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE migration = \(p(1)) OR migration = \(p(2))",
            [.text(key(migration, .apply)), .text(key(migration, .undo))])
    }

    /// Refuses to go on with a pending migration whose file changed since a run committed some of
    /// its operations: the rest would not fit what was applied.
    static func verifyChecksums(set: MigrationSet, progress: [OperationProgress]) throws {
        let files = Dictionary(uniqueKeysWithValues: set.migrations.map { ($0.id.description, $0) })
        var changed: [Migration] = []
        var lines: [String] = []
        let applying = progress.filter { !$0.migration.hasSuffix(undoSuffix) }
        for (id, rows) in Dictionary(grouping: applying, by: \.migration).sorted(by: { $0.key < $1.key }) {
            guard let migration = files[id], let recorded = rows.first(where: { $0.checksum != migration.checksum })
            else { continue }
            changed.append(migration)
            lines.append(
                "  \(migration.path) (\(migration.id)): checksum \(migration.checksum.prefix(12))…, "
                    + "\(rows.count) operation(s) were applied in part or whole from a file with checksum \(recorded.checksum.prefix(12))…"
            )
        }
        guard changed.isEmpty else {
            throw MigrationRefusal(
                .startedFileChanged(changed.map(\.id)),
                "migration file(s) changed while partly applied:\n" + lines.joined(separator: "\n")
                    + "\nRestore the file as it was so the next run finishes it, then add a new migration for the change."
            )
        }
    }
}

/// What an earlier run left of a pending migration: a backfill checkpoint at operation
/// `backfillAt` (the operations before it committed), and its ``MigrationProgress`` rows.
struct Resumption: Hashable {
    /// The operation of the backfill whose checkpoint the run left, 0 without one.
    let backfillAt: Int
    /// The rows of the operations it committed in part or whole.
    let done: [OperationProgress]
}
