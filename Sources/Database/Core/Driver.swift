/// What each database driver implements; ``Connection`` adds locking, logging and transactions.
///
/// A driver object is used by one thread at a time: ``Connection`` guarantees it by holding its
/// lock around every call, so drivers need no locking of their own.
protocol Driver: AnyObject {
    /// Runs one statement with bound values and returns its rows.
    func query(_ sql: String, _ values: [DatabaseValue]) throws -> [Row]
    /// Runs one statement with bound values and returns the number of rows it changed.
    func execute(_ sql: String, _ values: [DatabaseValue]) throws -> Int
    /// Runs statements separated by `;`, without bound values.
    func executeScript(_ sql: String) throws
    /// The server's version, e.g. `15.18` or `3.40.1`.
    func serverVersion() -> String
    /// Whether the session can still be used (false once a PostgreSQL connection is lost).
    var isHealthy: Bool { get }
    /// Starts a transaction (SQLite: `BEGIN IMMEDIATE`, so two writers never deadlock).
    var beginStatement: String { get }
    /// Whether the open transaction was aborted by a failed statement and can only be rolled
    /// back (PostgreSQL; SQLite rolls back the failed statement alone and goes on).
    var transactionIsAborted: Bool { get }
}
