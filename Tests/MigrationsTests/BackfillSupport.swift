import Foundation
import Synchronization
import TandemDatabase
import TandemMigrations

/// Tables and checks shared by the backfill tests.
enum BackfillFixture {
    /// `item`: `id` 1…`rows`, a counter `n` every backfill adds 1 to (so a row done twice shows
    /// 2), `done` for `where` filters, and `w` for concurrent writers.
    /// `check` adds a CHECK constraint on the table.
    static func makeItems(_ rows: Int, check: String? = nil, on connection: Connection) throws {
        try connection.execute(
            "CREATE TABLE item (id BIGINT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, done INTEGER, w INTEGER NOT NULL DEFAULT 0"
                + (check.map { ", CHECK (\($0))" } ?? "") + ")")
        if rows > 0 { try insertItems(1...rows, on: connection) }
    }

    /// Inserts items with these ids.
    static func insertItems(_ ids: ClosedRange<Int>, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            """
            WITH RECURSIVE s(i) AS (SELECT CAST(\(p(1)) AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < \(p(2)))
            INSERT INTO item (id) SELECT i FROM s
            """, [.integer(Int64(ids.lowerBound)), .integer(Int64(ids.upperBound))])
    }

    /// The backfill adding 1 to `n` and marking the row done.
    static let counting = Backfill(table: "item", set: [.init("n", "n + 1"), .init("done", "1")])

    /// How many rows have each counter value: `[1: 2500]` when every row was done once.
    static func counters(_ table: String = "item", on connection: Connection) throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try connection.query("SELECT n, count(*) FROM \(quoteIdentifier(table)) GROUP BY n") {
            counts[try row.decode(Int.self, at: 0)] = try row.decode(Int.self, at: 1)
        }
        return counts
    }

    /// A job name unique to the test.
    static func job(_ operation: Int = 0) -> BackfillJob {
        BackfillJob(migration: "core/0001_test", operation: operation)
    }
}

/// Collects every progress report of a run.
final class ProgressRecorder: Sendable {
    private let reports = Mutex<[BackfillProgress]>([])
    /// Called after each report; may request a stop.
    let after: @Sendable (BackfillProgress) -> Void

    init(after: @escaping @Sendable (BackfillProgress) -> Void = { _ in }) {
        self.after = after
    }

    /// Pass as `onProgress`.
    @Sendable func record(_ progress: BackfillProgress) {
        reports.withLock { $0.append(progress) }
        after(progress)
    }

    /// Every report so far.
    var all: [BackfillProgress] { reports.withLock { $0 } }

    /// Rows done by each batch, from the differences between reports.
    var rowsPerBatch: [Int] {
        let done = all.map(\.rowsDone)
        return zip(done.dropFirst(), done).map { $0 - $1 }
    }
}
