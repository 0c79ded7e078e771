import Foundation
import Synchronization

/// Waits a bounded time for something another thread does, without sleeping.
///
/// Sleeping and being woken costs 10–20 µs on a small virtual machine, more than a statement of
/// one row; spinning costs the core meanwhile. So a waiter first checks in a tight loop (a
/// SQLite statement of one row ends within it), then between `sched_yield()` calls, which hand
/// the core to any thread that wants it (the PostgreSQL server, or the thread being waited for),
/// and gives up at the deadline so the caller can sleep.
///
/// One waiter of each kind spins at a time in the process: when many calls are in flight the
/// cores have better work to do, and the others sleep at once.
final class SpinWait: Sendable {
    /// Tasks waiting for their connection's thread to finish a body.
    static let callers = SpinWait()
    /// Connection threads waiting for their next body.
    static let connectionThreads = SpinWait()

    /// How long a waiter checks in a tight loop before it starts yielding the core.
    static let tightLoop: Duration = .microseconds(20)

    private let spinning = Atomic<Bool>(false)

    /// Whether `condition` became true within `budget`; false at once while another waiter of
    /// this kind spins.
    func until(_ condition: () -> Bool, within budget: Duration) -> Bool {
        if condition() { return true }
        guard spinning.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { spinning.store(false, ordering: .releasing) }
        let clock = ContinuousClock()
        let start = clock.now
        let yieldFrom = start.advanced(by: min(Self.tightLoop, budget))
        let deadline = start.advanced(by: budget)
        while true {
            if condition() { return true }
            let now = clock.now
            if now >= deadline { return false }
            if now >= yieldFrom { sched_yield() }
        }
    }
}
