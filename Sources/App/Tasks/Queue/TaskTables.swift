import TandemDatabase

/// The task tables' names and the SQL pieces that differ between the dialects.
enum TaskTables {
    static let task = quoteIdentifier("core_task")
    static let group = quoteIdentifier("core_taskgroup")
    static let progress = quoteIdentifier("core_progressreport")
    static let temporaryFile = quoteIdentifier("core_temporaryfile")
    static let temporaryFileChunk = quoteIdentifier("core_temporaryfilechunk")

    /// The channel PostgreSQL workers listen on.
    static let channel = "tandem_tasks"

    /// The advisory lock (two-key form, first key) that serialises claims on PostgreSQL.
    static let claimLockClass: Int32 = 0x7461_736B  // "task"
    /// The first key of the session advisory lock each PostgreSQL worker holds while it lives.
    static let workerLockClass: Int32 = 0x776B_6572  // "wker"

    /// The database's clock as it moves: after a lock wait, unlike `CURRENT_TIMESTAMP`, which is
    /// a PostgreSQL transaction's start.
    static func now(_ dialect: Dialect) -> String {
        switch dialect {
        case .postgres: "clock_timestamp()"
        case .sqlite: "strftime('%Y-%m-%d %H:%M:%fZ', 'now')"
        }
    }

    /// `($1, $2, …)` for `count` values starting at `first`.
    static func placeholders(_ dialect: Dialect, from first: Int, count: Int) -> String {
        (first..<(first + count)).map(dialect.placeholder).joined(separator: ", ")
    }

    /// `state IN ('running', 'canceling')`.
    static let holding = "state IN ('running', 'canceling')"
}
