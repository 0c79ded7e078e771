import Dispatch
import Foundation
import Synchronization

/// The thread a connection's async work runs on: one per connection, running submitted jobs
/// one at a time, in order. It belongs to the database layer, so a job that blocks in libpq or
/// sqlite3 never blocks Swift's cooperative pool.
///
/// A thread of its own rather than a `DispatchQueue`: waking a parked dispatch worker costs
/// about 20 µs here, more than a SQLite statement. After a job, the thread spins for up to
/// ``spinLimit`` for the next one, but only while jobs come that quickly (a task issuing
/// statements one after another); a connection used now and then parks at once.
final class ConnectionThread: Sendable {
    /// How long the thread looks for a next job before parking, and the gap between jobs under
    /// which it does.
    static let spinLimit: UInt64 = 100_000

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let pending = Atomic<Int>(0)
    private let parked = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let wakeUp = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    private let name: String

    /// A thread named `name` (at most 15 bytes show in `top` and debuggers), started by the
    /// first ``submit(_:)``: a connection only ever used synchronously costs no thread. It runs
    /// until ``stop()``.
    init(name: String) {
        self.name = name
    }

    /// Whether async work has used this thread; a connection only used synchronously has none.
    var hasStarted: Bool { started.load(ordering: .sequentiallyConsistent) }

    /// Queues `job` to run on the thread after the jobs already queued.
    func submit(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        pending.add(1, ordering: .sequentiallyConsistent)
        if !started.exchange(true, ordering: .sequentiallyConsistent) {
            Thread { [self] in
                Thread.current.name = name
                run()
            }.start()
        } else if parked.exchange(false, ordering: .sequentiallyConsistent) {
            wakeUp.signal()
        }
    }

    /// Lets the thread end once its queued jobs have run.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        if parked.exchange(false, ordering: .sequentiallyConsistent) { wakeUp.signal() }
    }

    private func run() {
        var lastFinish: UInt64 = 0
        var spin = false
        while true {
            if pending.load(ordering: .sequentiallyConsistent) > 0 {
                let start = DispatchTime.now().uptimeNanoseconds
                spin = start - lastFinish < Self.spinLimit
                let job = jobs.withLock { $0.removeFirst() }
                pending.subtract(1, ordering: .sequentiallyConsistent)
                job()
                lastFinish = DispatchTime.now().uptimeNanoseconds
                continue
            }
            if stopping.load(ordering: .sequentiallyConsistent) { return }
            if spin {
                spin = false
                while pending.load(ordering: .relaxed) == 0,
                    DispatchTime.now().uptimeNanoseconds - lastFinish < Self.spinLimit
                {
                    // Busy-wait: the next job of a tight loop arrives within microseconds.
                }
                continue
            }
            parked.store(true, ordering: .sequentiallyConsistent)
            // A job or stop() that came after the check above has seen `parked` and signals.
            if pending.load(ordering: .sequentiallyConsistent) > 0 || stopping.load(ordering: .sequentiallyConsistent) {
                parked.store(false, ordering: .sequentiallyConsistent)
                continue
            }
            wakeUp.wait()
        }
    }
}
