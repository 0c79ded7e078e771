/// Waits in tests that must fail rather than hang when what they wait for never comes, and
/// must not fail when the run is merely slow.
///
/// Limits count polls, not seconds: when other tests keep the cooperative pool's two threads
/// busy, each poll waits its turn behind the tasks queued before it, so a starved run waits
/// longer instead of failing with the awaited task still in the queue.
enum Patience {
    /// Polls `condition` every millisecond, up to ``patience`` times.
    static func waitUntil(_ condition: () throws -> Bool) async throws {
        for _ in 0..<patience {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw TimedOut()
    }

    /// `body`'s result, or ``TimedOut`` after ``patience`` sleeps of a millisecond. The body runs in
    /// a task of its own that is left running when it times out: a waiter that never wakes cannot
    /// be cancelled, and the test must fail rather than hang.
    static func patiently<T: Sendable>(
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let first = Locked(true)
        return try await withCheckedThrowingContinuation { continuation in
            let finish: @Sendable (Result<T, any Error>) -> Void = { result in
                let isFirst = first.withLock { isFirst -> Bool in
                    defer { isFirst = false }
                    return isFirst
                }
                if isFirst { continuation.resume(with: result) }
            }
            Task {
                do { finish(.success(try await body())) } catch { finish(.failure(error)) }
            }
            Task {
                for _ in 0..<patience {
                    if first.withLock({ !$0 }) { return }
                    try? await Task.sleep(for: .milliseconds(1))
                }
                finish(.failure(TimedOut()))
            }
        }
    }

    /// How many one-millisecond sleeps a wait lasts before the test gives up: at least ten seconds.
    static let patience = 10_000

    /// What a wait that ran out of patience throws.
    struct TimedOut: Error {}
}
