extension Connection {
    /// Runs `body` with this connection from async code.
    ///
    /// A minimal stand-in so the ORM's async API compiles: it runs `body` on the caller's
    /// thread. The async database layer replaces it with a version that runs on the
    /// connection's own queue.
    public func perform<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try body(self)
    }
}
