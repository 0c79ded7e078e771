import CScheduler
import Foundation
import Synchronization

/// Waits a bounded time for something another thread does, without sleeping.
///
/// Sleeping and being woken costs 10–20 µs on a small virtual machine, more than a statement of
/// one row. So a waiter checks again and again, and gives up at the deadline so the caller can
/// sleep. It checks ``looksBetweenYields`` times with the CPU's spin hint between looks (about
/// 1.5 µs in all), then calls `sched_yield()`. Yielding matters: the kernel often places a woken
/// thread on its waker's core, and a waiter that spun without yielding would keep the very thread
/// it waits for (or the PostgreSQL server) off that core. Yielding at every look costs a system
/// call per look, though, and notices the other thread's work later.
///
/// One waiter of each kind spins at a time in the process: when many calls are in flight the
/// cores have better work to do, and the others sleep at once.
final class SpinWait: Sendable {
    /// Tasks waiting for their connection's thread to finish a body.
    static let callers = SpinWait()
    /// Connection threads waiting for their next body.
    static let connectionThreads = SpinWait()

    /// How many times a waiter looks, a spin hint apart (about 23 ns each on this machine's
    /// CPUs), before it yields its core.
    static let looksBetweenYields = 64

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
            for _ in 0..<Self.looksBetweenYields {
                tandem_spin_pause()
                if condition() { return true }
            }
            sched_yield()
            if condition() { return true }
        }
        return false
    }
}
