import Foundation

/// Runs each body on a thread of its own (blocking calls stay off the task pool) and returns
/// when all have finished.
func onThreads(_ bodies: [@Sendable () -> Void]) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let remaining = Locked(bodies.count)
        for body in bodies {
            Thread {
                body()
                if remaining.withLock({
                    $0 -= 1
                    return $0
                }) == 0 {
                    continuation.resume()
                }
            }.start()
        }
    }
}

/// How late a task's repeated 20 ms sleeps woke while `work` ran: the worst delay and how
/// many sleeps there were. A task blocked on the cooperative pool shows here as a late wake-up.
func sleepLateness(during work: () async throws -> Void) async throws -> (worst: Duration, ticks: Int) {
    let done = Locked(false)
    let ticker = Task {
        let clock = ContinuousClock()
        var worst = Duration.zero
        var ticks = 0
        while !done.withLock({ $0 }) {
            let before = clock.now
            try? await Task.sleep(for: .milliseconds(20))
            worst = max(worst, clock.now - before - .milliseconds(20))
            ticks += 1
        }
        return (worst, ticks)
    }
    defer { done.withLock { $0 = true } }
    try await work()
    done.withLock { $0 = true }
    return await ticker.value
}
