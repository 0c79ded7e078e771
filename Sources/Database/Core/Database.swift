import Foundation
import Logging

/// A database: the entry point to Tandem's drivers, with a pool of connections.
///
/// Open one per process and share it; it is `Sendable`, and concurrent tasks each get their own
/// connection from its pool. The async API runs database work on the connections' own threads
/// and suspends meanwhile, so the pool's size is the number of statements in flight at once and
/// Swift's cooperative pool never blocks on the database; the synchronous API runs on the
/// caller's thread.
///
/// ```swift
/// let database = try Database(url: DatabaseURL("postgres://tandem@localhost/tandem"))
/// let count = try await database.withConnection { connection in
///     try connection.query("SELECT count(*) FROM core_remote")[0].decode(Int.self, at: 0)
/// }
/// ```
///
/// ## Topics
/// - ``Connection``
/// - ``DatabaseURL``
/// - ``DatabaseValue``
/// - ``DatabaseError``
public final class Database: Sendable {
    /// Where the database lives.
    public let url: DatabaseURL
    /// The dialect of its SQL.
    public var dialect: Dialect { url.dialect }
    /// The most connections this database opens at once.
    public var maximumConnections: Int { pool.capacity }

    /// The connections; internal for tests.
    let pool: ConnectionPool

    /// Opens a database and checks that it can be reached by opening a first connection.
    ///
    /// - Parameters:
    ///   - url: where the database lives.
    ///   - maximumConnections: the pool's size; by default 10 for PostgreSQL, 4 for a SQLite file
    ///     (WAL lets readers run beside one writer) and 1 for in-memory SQLite, whose memory
    ///     belongs to its one connection.
    ///   - busyTimeout: how long a SQLite statement waits for another connection's write lock.
    ///   - logger: where statements are logged, at trace level.
    /// - Throws: ``DatabaseError`` of kind `connection` when the database cannot be reached.
    public init(
        url: DatabaseURL, maximumConnections: Int? = nil, busyTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "tandem.database")
    ) throws {
        self.url = url
        let capacity: Int
        let connect: @Sendable () throws -> Connection
        switch url.location {
        case .postgres(let parameters):
            capacity = maximumConnections ?? 10
            connect = {
                Connection(dialect: .postgres, driver: try PostgresDriver(parameters: parameters), logger: logger)
            }
        case .sqliteFile(let path):
            capacity = maximumConnections ?? 4
            connect = {
                Connection(
                    dialect: .sqlite, driver: try SQLiteDriver(path: path, busyTimeout: busyTimeout), logger: logger)
            }
        case .sqliteMemory:
            capacity = 1
            connect = {
                Connection(
                    dialect: .sqlite, driver: try SQLiteDriver(path: ":memory:", busyTimeout: busyTimeout),
                    logger: logger)
            }
        }
        pool = ConnectionPool(capacity: capacity, connect: connect)
        pool.release(try pool.acquire())
    }

    /// Opens the database a URL string names; see ``init(url:maximumConnections:busyTimeout:logger:)``.
    public convenience init(
        _ url: String, maximumConnections: Int? = nil, logger: Logger = Logger(label: "tandem.database")
    )
        throws
    {
        try self.init(url: try DatabaseURL(url), maximumConnections: maximumConnections, logger: logger)
    }

    /// Runs `body` with a connection of the pool on the calling thread, blocking it while all
    /// are busy. For synchronous callers (the CLI); async code uses the async version.
    @discardableResult
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try pool.acquire()
        defer { pool.release(connection) }
        return try body(connection)
    }

    /// Runs `body` with a connection of the pool, suspending while all are busy and while the
    /// body runs.
    ///
    /// The body runs on the connection's own thread (see ``Connection/perform(_:)``), never on
    /// Swift's cooperative pool, so up to ``maximumConnections`` bodies block in the database at
    /// once while other tasks go on. It is synchronous on purpose: a connection is never held
    /// across a suspension, so connections always come back quickly. Cancelling the awaiting
    /// task does not interrupt the body: it runs to completion and the connection comes back.
    /// A task cancelled while it waits for a connection stops waiting and throws
    /// `CancellationError`.
    /// Use `connection` in the body, not the database: a body that takes a second connection
    /// waits while the pool is full, and when every connection is held by a body doing so, it
    /// waits forever.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        let connection: Connection
        if let idle = try pool.takeIdle() {
            connection = idle
        } else {
            connection = try await pool.acquire()
        }
        var healthy: Bool?
        defer { pool.release(connection, healthy: healthy) }
        return try await connection.perform(body, healthAfterwards: &healthy)
    }

    /// Runs an async `body` with one connection of the pool held for all of it, and runs the
    /// body's task on that connection's own thread, suspending while all connections are busy.
    /// A task cancelled while it waits for the connection throws `CancellationError`.
    ///
    /// Each database call of the body on `connection` (``Connection/perform(_:)``, the ORM's
    /// async calls given `connection`) then runs where the task already is, with no hand-off
    /// between threads: a unit of work of many small statements, such as a request's, costs
    /// about what it costs through the synchronous API. Swift's cooperative pool still never
    /// waits for the database. Child tasks of the body run on the same thread, one at a time.
    ///
    /// Unlike ``withConnection(_:)-(Connection)->T``'s body, this one may suspend while it holds
    /// the connection: whatever it awaits besides the database (a network call, a sleep) keeps
    /// the connection and its thread from everyone else meanwhile. Keep it to database work, and
    /// use `connection` inside, not the database: a call that takes another connection waits
    /// while the pool is full, and when every connection is held by a session doing so, it
    /// waits forever.
    ///
    /// ```swift
    /// let remotes = try await database.withSession { connection in
    ///     var found: [FileRemote] = []
    ///     for id in ids {
    ///         if let remote = try await FileRemote.find(id, on: connection) { found.append(remote) }
    ///     }
    ///     return found
    /// }
    /// ```
    public func withSession<T: Sendable>(
        _ body: @Sendable (Connection) async throws -> T
    ) async throws -> T {
        let connection = try await pool.acquire()
        defer { pool.release(connection) }
        return try await withTaskExecutorPreference(connection.thread) { try await body(connection) }
    }

    /// Runs `body` in a transaction on a connection of the pool, on the calling thread; see
    /// ``Connection/transaction(_:)``.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        try withConnection { connection in try connection.transaction { try body(connection) } }
    }

    /// Runs `body` in a transaction on a connection of the pool, on the connection's own thread,
    /// suspending while all are busy and while the body runs; see the async `withConnection(_:)` and
    /// ``Connection/transaction(_:)``.
    @discardableResult
    public func transaction<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection { connection in try connection.transaction { try body(connection) } }
    }

    /// Closes idle connections; later calls throw. Connections in use close when returned.
    public func close() {
        pool.close()
    }

    deinit {
        pool.close()
    }
}
