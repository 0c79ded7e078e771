import TandemDatabase

/// Where ORM operations get their connection: a ``Connection`` already in hand (inside a
/// transaction, say) or a ``Database`` pool.
public protocol ConnectionSource: Sendable {
    /// Runs `body` with a connection.
    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T
}

extension Connection: ConnectionSource {
    /// Runs `body` with this connection.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try body(self)
    }
}

extension Database: ConnectionSource {}
