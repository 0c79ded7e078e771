import Synchronization

/// An operation did not finish within its deadline.
public struct DeadlineExceeded: Error, Sendable, Hashable, CustomStringConvertible {
    /// How long it was given.
    public let deadline: Duration

    /// `no answer within 0.5 seconds`.
    public var description: String { "no answer within \(deadline)" }
}

/// Runs `operation` in a task of its own and returns its result, or throws ``DeadlineExceeded``
/// once `deadline` has passed, without waiting for the operation: a database call blocked on a
/// lock or a dead connection runs on the database layer's thread, where cancellation cannot
/// reach it, and a heartbeat must not wait for it. The abandoned operation finishes (or not) on
/// its own.
func withDeadline<T: Sendable>(
    _ deadline: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let outcome = FirstOutcome(continuation)
        let timer = Task {
            try await Task.sleep(for: deadline)
            outcome.resume(with: .failure(DeadlineExceeded(deadline: deadline)))
        }
        Task {
            do {
                outcome.resume(with: .success(try await operation()))
            } catch {
                outcome.resume(with: .failure(error))
            }
            timer.cancel()
        }
    }
}

/// Resumes a continuation with whichever outcome comes first.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<T, any Error>) {
        let waiting = continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
