import Foundation
import Synchronization

/// The thread of the database layer that runs one connection's async work: bodies run one at a
/// time, in the order they were submitted, never on Swift's cooperative pool.
///
/// After a body whose caller waits awake for it (see ``Connection/perform(_:)``), the thread keeps
/// looking for the next one for a moment before it sleeps: that caller's next statement usually
/// follows within microseconds, and waking a sleeping thread costs more than a small statement does
/// on a small machine (10–20 µs). While it looks it gives its core away to any other thread that
/// wants it. Before it runs such a caller's body it moves off the caller's CPU if it shares it
/// (see ``CoreSeparation``).
final class ConnectionThread: Sendable {
    /// How long the thread looks for the next body before it sleeps.
    static let lingering: Duration = .microseconds(100)

    private let worker: Worker
    /// Whether the thread has ended; tests hold this to see that closing a connection ends it.
    let ended: Flag
    /// A running average of how long bodies took here, in nanoseconds.
    private let averageBodyNanoseconds = Atomic<Int>(0)

    /// Starts the thread; `name` (at most 15 bytes on Linux) shows in debuggers and `top -H`.
    init(name: String) {
        worker = Worker()
        ended = Flag()
        let (worker, ended) = (self.worker, self.ended)
        let thread = Thread {
            // Named from inside: Linux names only the calling thread (`pthread_setname_np`).
            Thread.current.name = name
            worker.run()
            ended.set()
        }
        thread.start()
    }

    /// Runs `job` on the thread after the jobs submitted before it. When `callerWaitsAwake`, the
    /// thread stays awake a moment afterwards for the caller's next job, and runs this one on
    /// another CPU than `callerCPU`, the caller's (see ``CoreSeparation``).
    func submit(
        callerWaitsAwake: Bool = false, callerCPU: Int32? = nil, _ job: @escaping @Sendable () -> Void
    ) {
        worker.submit(Job(run: job, callerWaitsAwake: callerWaitsAwake, callerCPU: callerCPU))
    }

    /// A running average of how long recent bodies took on this thread.
    var recentBodyDuration: Duration {
        .nanoseconds(averageBodyNanoseconds.load(ordering: .relaxed))
    }

    /// Counts one more body's duration into ``recentBodyDuration``, a quarter weight for the newest.
    func recordBodyDuration(_ duration: Duration) {
        let nanoseconds = duration.wholeNanoseconds
        let average = averageBodyNanoseconds.load(ordering: .relaxed)
        averageBodyNanoseconds.store((average * 3 + nanoseconds) / 4, ordering: .relaxed)
    }

    /// The thread ends once the jobs already submitted have run.
    deinit {
        worker.stop()
    }

    /// A body to run; whether its caller waits awake for it (then the caller's next body is likely
    /// to follow within microseconds, and the thread lingers for it); and that caller's CPU.
    fileprivate struct Job {
        let run: @Sendable () -> Void
        let callerWaitsAwake: Bool
        let callerCPU: Int32?
    }

    /// A flag set once, readable from any thread.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        /// Whether the flag was set.
        var isSet: Bool { value.load(ordering: .acquiring) }
        /// Sets the flag.
        func set() { value.store(true, ordering: .releasing) }
    }

    /// The queue and the loop; the thread holds this, not the ``ConnectionThread``, so dropping
    /// the last reference to the connection ends the thread.
    private final class Worker: Sendable {
        private struct State: ~Copyable {
            var jobs: [Job] = []
            var sleeping = false
            var stopping = false
        }

        private let state = Mutex(State())
        /// How many jobs wait: read without the lock while the thread lingers.
        private let waiting = Atomic<Int>(0)
        private let wake = DispatchSemaphore(value: 0)

        func submit(_ job: Job) {
            let sleeping = state.withLock { state -> Bool in
                state.jobs.append(job)
                waiting.add(1, ordering: .releasing)
                defer { state.sleeping = false }
                return state.sleeping
            }
            if sleeping { wake.signal() }
        }

        func stop() {
            let sleeping = state.withLock { state -> Bool in
                state.stopping = true
                defer { state.sleeping = false }
                return state.sleeping
            }
            if sleeping { wake.signal() }
        }

        func run() {
            var lingering = false
            var separation = CoreSeparation()
            while true {
                if let job = next() {
                    if job.callerWaitsAwake, let callerCPU = job.callerCPU {
                        separation.separate(fromCallerOn: callerCPU)
                    }
                    job.run()
                    lingering = job.callerWaitsAwake
                    continue
                }
                if lingering, linger() { continue }
                lingering = false
                let sleep = state.withLock { state -> Bool? in
                    if !state.jobs.isEmpty { return false }
                    if state.stopping { return nil }
                    state.sleeping = true
                    return true
                }
                guard let sleep else { return }
                if sleep { wake.wait() }
            }
        }

        private func next() -> Job? {
            guard waiting.load(ordering: .acquiring) > 0 else { return nil }
            return state.withLock { state in
                guard !state.jobs.isEmpty else { return nil }
                waiting.subtract(1, ordering: .relaxed)
                return state.jobs.removeFirst()
            }
        }

        /// Waits awake up to ``ConnectionThread/lingering`` for a job (see ``SpinWait``); true
        /// when one came. Not while other async calls of the process are in flight besides the
        /// one just served: then the cores have other work.
        private func linger() -> Bool {
            guard Connection.callsInFlight.load(ordering: .relaxed) <= 1 else { return false }
            return SpinWait.connectionThreads.until(
                { waiting.load(ordering: .acquiring) > 0 }, within: ConnectionThread.lingering)
        }
    }
}
