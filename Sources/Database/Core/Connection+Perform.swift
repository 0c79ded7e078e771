import Dispatch
import Synchronization

extension Connection {
    /// Runs `body` with this connection on the connection's own serial queue and suspends the
    /// calling task until it returns: the blocking database work happens on a thread of the
    /// database layer, never on Swift's cooperative pool.
    ///
    /// Bodies given to one connection run one at a time, in the order they were submitted. Each
    /// call hands the work to another thread and back, about 10 µs on a small machine: put the
    /// statements of one unit of work in one body rather than one call per statement.
    /// Use this when async code already holds a connection; `Database.withConnection(_:)` and
    /// `Database.transaction(_:)` (async) call it for you.
    ///
    /// Cancelling the awaiting task does not interrupt the body: the database cannot stop a
    /// statement half way through a caller's logic. The body runs to completion on its thread,
    /// the task resumes with its result or error afterwards, and the connection is free again.
    @discardableResult
    public func perform<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let handoff = BodyHandoff(body)
            return try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    let result = handoff.run(on: self)
                    continuation.resume(with: result)
                }
            }
        }
    }
}

/// Carries a body to a connection's queue and lets go of it before the caller resumes:
/// `withoutActuallyEscaping` checks that nothing holds the body once the caller goes on, and the
/// queue's block may outlive the resumption by a moment.
private final class BodyHandoff<T: Sendable>: Sendable {
    private let body: Mutex<(@Sendable (Connection) throws -> T)?>

    init(_ body: @escaping @Sendable (Connection) throws -> T) {
        self.body = Mutex(body)
    }

    func run(on connection: Connection) -> Result<T, any Error> {
        guard let body = body.withLock({ $0.take() }) else {
            preconditionFailure("a connection body runs once")
        }
        return Result { try body(connection) }
    }
}
