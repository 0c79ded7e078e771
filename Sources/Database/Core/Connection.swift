import Logging
import Synchronization

/// One session with a database: statements, bound values and transactions.
///
/// A connection comes from ``Database/withConnection(_:)-6l5ll`` and belongs to one task at a
/// time. Statements are prepared once per connection and reused.
///
/// ```swift
/// try database.withConnection { connection in
///     try connection.transaction {
///         try connection.execute("INSERT INTO task (name) VALUES ($1)", ["sync"])
///     }
/// }
/// ```
public final class Connection: Sendable {
    private struct State: ~Copyable {
        let driver: any Driver
        var transactionDepth = 0
    }

    /// The connection's dialect.
    public let dialect: Dialect
    private let state: Mutex<State>
    private let logger: Logger

    init(dialect: Dialect, driver: sending any Driver, logger: Logger) {
        self.dialect = dialect
        self.state = Mutex(State(driver: driver))
        self.logger = logger
    }

    /// Runs one statement and returns its rows. `values` bind to `$1`, `$2`… (PostgreSQL) or
    /// `?1`, `?2`… / `?` (SQLite); see ``Dialect/placeholder(_:)``.
    public func query(_ sql: String, _ values: [DatabaseValue] = []) throws -> [Row] {
        trace(sql)
        return try state.withLock { try $0.driver.query(sql, values) }
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String, _ values: [DatabaseValue] = []) throws -> Int {
        trace(sql)
        return try state.withLock { try $0.driver.execute(sql, values) }
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
        try state.withLock { try $0.driver.executeScript(sql) }
    }

    /// The server's version (`15.18`, `3.40.1`).
    public func serverVersion() -> String {
        state.withLock { $0.driver.serverVersion() }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool {
        state.withLock { $0.transactionDepth > 0 }
    }

    /// Whether the session can still be used; the pool drops connections that cannot.
    var isHealthy: Bool {
        state.withLock { $0.transactionDepth == 0 && $0.driver.isHealthy }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Nested calls use savepoints, so an inner failure rolls back the inner work only and the
    /// outer transaction goes on:
    ///
    /// ```swift
    /// try connection.transaction {
    ///     try connection.execute("INSERT INTO t VALUES (1)")
    ///     try? connection.transaction { try connection.execute("INSERT INTO t VALUES (oops)") }
    /// }   // commits the first row
    /// ```
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = state.withLock { state -> Int in
            state.transactionDepth += 1
            return state.transactionDepth
        }
        let savepoint = "tandem_savepoint_\(depth)"
        do {
            if depth == 1 {
                try execute(state.withLock { $0.driver.beginStatement })
            } else {
                try execute("SAVEPOINT \(savepoint)")
            }
        } catch {
            state.withLock { $0.transactionDepth -= 1 }
            throw error
        }
        do {
            let result = try body()
            try finish(depth: depth, statement: depth == 1 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
            return result
        } catch {
            let rollback = depth == 1 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)"
            try? finish(depth: depth, statement: rollback)
            throw error
        }
    }

    private func finish(depth: Int, statement: String) throws {
        defer { state.withLock { $0.transactionDepth = depth - 1 } }
        if statement.contains(";") {
            try executeScript(statement)
        } else {
            try execute(statement)
        }
    }

    private func trace(_ sql: String) {
        if logger.logLevel <= .trace {
            logger.trace("\(sql)", metadata: ["dialect": "\(dialect.rawValue)"])
        }
    }
}
