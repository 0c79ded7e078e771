import Foundation
import Synchronization

/// Waits a bounded time for something another thread does, without sleeping.
///
/// Sleeping and being woken costs 10–20 µs on a small virtual machine, more than a statement of
/// one row. So a waiter checks again and again, calling `sched_yield()` between checks, and gives
/// up at the deadline so the caller can sleep. Yielding matters: the kernel often places a woken
/// thread on its waker's core, and a waiter that spun without yielding would keep the very thread
/// it waits for (or the PostgreSQL server) off that core.
///
/// One waiter of each kind spins at a time in the process: when many calls are in flight the
/// cores have better work to do, and the others sleep at once.
final class SpinWait: Sendable {
    /// Tasks waiting for their connection's thread to finish a body.
    static let callers = SpinWait()
    /// Connection threads waiting for their next body.
    static let connectionThreads = SpinWait()

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
        let deadline = clock.now.advanced(by: budget)
        while clock.now < deadline {
            sched_yield()
            if condition() { return true }
        }
        return false
    }
}
