import CScheduler
import Foundation
import Synchronization

/// Waits a bounded time for something another thread does, without sleeping, while the CPUs
/// have room for it.
///
/// Sleeping and being woken costs 10–20 µs on a small virtual machine, more than a statement of
/// one row. So a waiter checks again and again, and gives up at the deadline so the caller can
/// sleep. It checks ``looksBetweenYields`` times with the CPU's spin hint between looks (about
/// 6 µs in all), then calls `sched_yield()`. Yielding matters: the kernel often places a woken
/// thread on its waker's core, and a waiter that spun without yielding would keep the very thread
/// it waits for (or the PostgreSQL server) off that core for good. Each yield is a system call,
/// though (about a third of a microsecond in a VM), and the waiter notices the other thread's
/// work only after it. With a yield every 64 looks (1.5 µs), a single-row SQLite get through the
/// async API took 1.18–1.21 times its synchronous time in `tandem-bench`; every 256, 1.14–1.18;
/// every 1,024, no better.
///
/// One waiter of each kind spins at a time in the process: when many calls are in flight the
/// cores have better work to do, and the others sleep at once. A waiter that loses its CPU for
/// longer than ``preemptionGap`` (it reads the clock after each yield) gives up; when it is a caller, the thread it
/// waits for competes with other work for the CPUs, and nobody waits awake for a while (see
/// ``BusyCPUs``).
final class SpinWait: Sendable {
    /// What the process's waiters learnt of the CPUs.
    static let busyCPUs = BusyCPUs()
    /// Tasks waiting for their connection's thread to finish a body: one that loses its CPU meanwhile
    /// shows that the thread it waits for competes for a CPU with other work.
    static let callers = SpinWait(busyCPUs: busyCPUs, reportsBusyCPUs: true)
    /// Connection threads waiting for their next body: one that loses its CPU stops waiting, but
    /// shows only that the process itself has other work (a synchronous caller, say) on that CPU.
    static let connectionThreads = SpinWait(busyCPUs: busyCPUs, reportsBusyCPUs: false)

    /// How many times a waiter looks, a spin hint apart (about 23 ns each on this machine's
    /// CPUs), before it yields its core.
    static let looksBetweenYields = 256

    /// What waiters of this kind heed, and tell when they lose their CPU if they report.
    let busyCPUs: BusyCPUs
    /// Whether losing the CPU while waiting turns waiting awake off for every waiter.
    let reportsBusyCPUs: Bool
    /// A longer pause between two readings of the clock means the waiter lost its CPU to other
    /// work: a time slice, not the wake-ups and interrupts of a quiet machine.
    let preemptionGap: Duration
    private let spinning = CacheLineAtomic(false)

    init(busyCPUs: BusyCPUs, reportsBusyCPUs: Bool, preemptionGap: Duration = .milliseconds(1)) {
        self.busyCPUs = busyCPUs
        self.reportsBusyCPUs = reportsBusyCPUs
        self.preemptionGap = preemptionGap
    }

    /// Whether `condition` became true within `budget`; false at once while another waiter of
    /// this kind spins, or while the CPUs were lately found busy.
    func until(_ condition: () -> Bool, within budget: Duration) -> Bool {
        if condition() { return true }
        guard busyCPUs.waitingAwakePays(),
            spinning.withAtomic({ $0.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged })
        else { return false }
        defer { spinning.withAtomic { $0.store(false, ordering: .releasing) } }
        let clock = ContinuousClock()
        var now = clock.now
        let deadline = now.advanced(by: budget)
        while now < deadline {
            for _ in 0..<Self.looksBetweenYields {
                tandem_spin_pause()
                if condition() { return true }
            }
            sched_yield()
            if condition() { return true }
            let previous = now
            now = clock.now
            if now - previous > preemptionGap {
                if reportsBusyCPUs { busyCPUs.found(at: now) }
                return false
            }
        }
        return false
    }
}
