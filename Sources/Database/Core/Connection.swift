import Dispatch
import Foundation
import Logging
import Synchronization

/// One session with a database: statements, bound values and transactions.
///
/// A connection comes from `Database.withConnection(_:)`. Statements are prepared once per
/// connection and reused (on PostgreSQL, statements whose result columns follow a table's shape,
/// such as `SELECT *`, run unprepared, so a column added meanwhile never breaks them).
///
/// ```swift
/// try database.withConnection { connection in
///     try connection.transaction {
///         try connection.execute("INSERT INTO task (name) VALUES ($1)", ["sync"])
///     }
/// }
/// ```
///
/// ## Threads
/// Statements block the thread that runs them while the database works. Synchronous callers
/// (the CLI) run them on their own thread. Async code reaches a connection through the async
/// `Database.withConnection(_:)` or `Database.transaction(_:)`, or ``perform(_:)`` for a
/// connection it already holds: the body runs on the connection's own thread, which belongs to
/// the database layer, while the calling task waits without blocking. Swift's cooperative pool
/// never waits for the database.
///
/// ## Sharing
/// A connection is `Sendable`, and it **serialises** its users rather than refusing to be
/// shared: every statement takes the connection's session lock, and a transaction holds that
/// lock from `BEGIN` to `COMMIT` or `ROLLBACK`. A statement from another thread waits until the
/// transaction ends, while the transaction's own thread (its body, nested transactions) passes,
/// so another task's statement never lands inside your transaction, and your transaction never
/// sees another's half-done work on the same session. Bodies given to ``perform(_:)`` run one at
/// a time on the connection's thread.
public final class Connection: Sendable {
    private struct State: ~Copyable {
        /// Nil once the connection is closed (``close()``).
        var driver: (any Driver)?
        var transactionDepth = 0
    }

    /// The connection's dialect.
    public let dialect: Dialect
    private let state: Mutex<State>
    /// Taken by every statement and held by a transaction for its whole duration. Recursive, so
    /// the transaction's own statements pass; owned by a thread, which is what serialises
    /// another thread's statements behind the transaction.
    private let session = NSRecursiveLock()
    /// Where ``perform(_:)`` runs bodies: while this connection's body blocks in the database, it
    /// blocks a thread of its own, never one of Swift's cooperative pool.
    let thread: ConnectionThread
    private let logger: Logger
    /// The server's version, read when the connection opened (it cannot change meanwhile).
    private let version: String

    init(dialect: Dialect, driver: sending any Driver, logger: Logger) {
        self.dialect = dialect
        self.version = driver.serverVersion()
        self.state = Mutex(State(driver: driver))
        self.logger = logger
        self.thread = ConnectionThread(name: dialect == .postgres ? "tandem-pg" : "tandem-sqlite")
    }

    /// Runs one statement and returns its rows. `values` bind to `$1`, `$2`… (PostgreSQL) or
    /// `?1`, `?2`… / `?` (SQLite); see ``Dialect/placeholder(_:)``.
    public func query(_ sql: String, _ values: [DatabaseValue] = []) throws -> [Row] {
        trace(sql)
        return try exclusively { try $0.query(sql, values) }
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String, _ values: [DatabaseValue] = []) throws -> Int {
        trace(sql)
        return try exclusively { try $0.execute(sql, values) }
    }

    /// Runs one statement whose bound values are Swift values.
    @discardableResult
    public func execute(_ sql: String, _ values: any DatabaseValueConvertible...) throws -> Int {
        try execute(sql, values.map(\.databaseValue))
    }

    /// Runs one query whose bound values are Swift values.
    public func query(_ sql: String, _ values: any DatabaseValueConvertible...) throws -> [Row] {
        try query(sql, values.map(\.databaseValue))
    }

    /// Runs several statements separated by `;` with no bound values, such as a DDL script.
    public func executeScript(_ sql: String) throws {
        trace(sql)
        try exclusively { try $0.executeScript(sql) }
    }

    /// The server's version (`15.18`, `3.40.1`).
    public func serverVersion() -> String {
        version
    }

    /// Runs `body` with the libpq handle of a PostgreSQL session (nil on SQLite), holding the
    /// session as a statement does.
    ///
    /// For `tandem-bench`: its hand-written baseline runs on the same server session as the ORM,
    /// so that both sides meet the same server process, wherever the scheduler placed it.
    @_spi(Benchmarks)
    public func withLibPQHandle<T: Sendable>(_ body: (OpaquePointer) throws -> T) throws -> T? {
        try exclusively { driver in try (driver as? PostgresDriver).map { try body($0.connection) } }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool {
        state.withLock { $0.transactionDepth > 0 }
    }

    /// Whether the session can still be used; the pool drops connections that cannot.
    var isHealthy: Bool {
        state.withLock { $0.transactionDepth == 0 && $0.driver?.isHealthy == true }
    }

    /// Ends the session now, on the calling thread; later statements throw ``DatabaseError`` of
    /// kind `connection`. Closing can block (libpq says goodbye to the server; SQLite checkpoints
    /// its WAL when the last connection to a file closes), so the pool calls it on the
    /// connection's own thread for a connection it drops, and on the closing caller's thread in
    /// `Database.close()`, which returns once the idle connections are closed. Without it a
    /// connection would close wherever its last reference went, which can be a cooperative thread.
    func close() {
        session.lock()
        defer { session.unlock() }
        state.withLock { $0.driver = nil }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// The transaction holds the connection from `BEGIN` to its end: statements from other
    /// threads wait meanwhile (see *Sharing* above). Nested calls use savepoints, so an inner
    /// failure rolls back the inner work only and the outer transaction goes on:
    ///
    /// ```swift
    /// try connection.transaction {
    ///     try connection.execute("INSERT INTO t VALUES (1)")
    ///     try? connection.transaction { try connection.execute("INSERT INTO t VALUES (oops)") }
    /// }   // commits the first row
    /// ```
    ///
    /// A body that catches a failed statement's error without a nested transaction around that
    /// statement (`_ = try? connection.execute(…)`) leaves a PostgreSQL transaction aborted:
    /// PostgreSQL would answer `COMMIT` with a silent rollback. The transaction is rolled back and
    /// a ``DatabaseError`` with code `25P02` thrown instead, so the body's work is never reported
    /// committed when it was lost. SQLite rolls back the failed statement alone, and commits the
    /// rest.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        session.lock()
        defer { session.unlock() }
        let depth = state.withLock { state -> Int in
            state.transactionDepth += 1
            return state.transactionDepth
        }
        do {
            try execute(depth == 1 ? try exclusively { $0.beginStatement } : "SAVEPOINT \(savepoint(depth))")
        } catch {
            state.withLock { $0.transactionDepth -= 1 }
            throw error
        }
        do {
            let result = try body()
            if state.withLock({ $0.driver?.transactionIsAborted == true }) {
                throw DatabaseError(
                    kind: .statement, dialect: dialect, code: "25P02",
                    message: "a statement failed inside the transaction and the body went on without its error: "
                        + "PostgreSQL aborted the transaction, so it was rolled back, not committed")
            }
            try finish(depth: depth) {
                try execute(depth == 1 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint(depth))")
            }
            return result
        } catch {
            try? finish(depth: depth) {
                if depth == 1 {
                    try execute("ROLLBACK")
                } else {
                    try executeScript(
                        "ROLLBACK TO SAVEPOINT \(savepoint(depth)); RELEASE SAVEPOINT \(savepoint(depth))")
                }
            }
            throw error
        }
    }

    /// The name of the savepoint a nested transaction at `depth` (2 and deeper) opens.
    private func savepoint(_ depth: Int) -> String { "tandem_savepoint_\(depth)" }

    /// Ends the transaction at `depth` with `statement`, which leaves the depth one less even when it throws.
    private func finish(depth: Int, _ statement: () throws -> Void) throws {
        defer { state.withLock { $0.transactionDepth = depth - 1 } }
        try statement()
    }

    /// Calls the driver holding the session lock (waiting for another thread's transaction to
    /// end) and the state's mutex; throws once the connection is closed.
    private func exclusively<T: Sendable>(_ body: (any Driver) throws -> T) throws -> T {
        session.lock()
        defer { session.unlock() }
        return try state.withLock { state in
            guard let driver = state.driver else {
                throw DatabaseError(
                    kind: .connection, dialect: dialect, code: nil, message: "the connection was closed")
            }
            return try body(driver)
        }
    }

    private func trace(_ sql: String) {
        if logger.logLevel <= .trace {
            logger.trace("\(sql)", metadata: ["dialect": "\(dialect.rawValue)"])
        }
    }
}
