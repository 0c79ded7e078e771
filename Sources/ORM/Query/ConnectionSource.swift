import TandemDatabase

/// Where ORM operations get their connection: a ``Connection`` already in hand (inside a
/// transaction, say) or a ``Database`` pool.
///
/// The synchronous entry points (`create(on:)`, `Query.all()`…) block the calling thread: use
/// them from the CLI and other threads of your own. Code running in Swift concurrency (a server,
/// a worker) calls the `async` overloads, which reach the database through its async API and
/// never block the cooperative pool.
public protocol ConnectionSource: Sendable {
    /// Runs `body` with a connection, blocking this thread.
    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T

    /// Runs `body` with a connection through the database's async API: the caller suspends
    /// while it runs.
    func withAsyncConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T
}

extension Connection: ConnectionSource {
    /// Runs `body` with this connection.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try body(self)
    }

    /// Runs `body` on this connection through ``Connection/perform(_:)``.
    public func withAsyncConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await perform(body)
    }
}

extension Database: ConnectionSource {
    /// Runs `body` with a connection of the pool through the pool's async API.
    public func withAsyncConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection(body)
    }
}
