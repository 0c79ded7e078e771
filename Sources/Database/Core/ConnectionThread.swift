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
    /// Bodies that take less than this on average are short: their callers may wait awake.
    static let shortBody = Connection.awaitingAwake

    private let worker: Worker
    /// Whether the thread has ended; tests hold this to see that closing a connection ends it.
    let ended: Flag

    /// Whether the calling thread is this one: then a body for this connection runs at once,
    /// where it is (see ``Connection/perform(_:)`` and `Database.withSession(_:)`).
    var isCurrent: Bool {
        runningThread.withAtomic { $0.load(ordering: .relaxed) } == pthread_self()
    }
    /// The thread, as `pthread_self()` there (0 until it starts): written once, on lines of its
    /// own, so that callers reading it do not fetch lines the thread writes on every job.
    private let runningThread = CacheLineAtomic<UInt>(0)

    /// Starts the thread; `name` (at most 15 bytes on Linux) shows in debuggers and `top -H`.
    init(name: String) {
        worker = Worker()
        ended = Flag()
        let (worker, ended, runningThread) = (self.worker, self.ended, self.runningThread)
        let thread = Thread {
            // Named from inside: Linux names only the calling thread (`pthread_setname_np`).
            Thread.current.name = name
            runningThread.withAtomic { $0.store(pthread_self(), ordering: .relaxed) }
            worker.run()
            ended.set()
        }
        thread.start()
    }

    /// Runs `job` on the thread after the jobs submitted before it, and lets go of it afterwards.
    /// When `callerWaitsAwake`, the thread stays awake a moment afterwards for the caller's next
    /// job, and runs this one on another CPU than `callerCPU`, the caller's (see ``CoreSeparation``).
    func submit(
        callerWaitsAwake: Bool = false, callerCPU: Int32? = nil, _ job: @escaping @Sendable () -> Void
    ) {
        _ = worker.submit(.passRetained(ClosureJob(callerWaitsAwake: callerWaitsAwake, callerCPU: callerCPU, job)))
    }

    /// Runs a slice of a task that prefers this thread (see ``enqueue(_:)``) after the jobs
    /// submitted before it. Its duration does not count as a body's.
    func submitTaskSlice(_ slice: @escaping @Sendable () -> Void) {
        let job = ClosureJob(callerWaitsAwake: false, callerCPU: nil, slice)
        job.isBody = false
        _ = worker.submit(.passRetained(job))
    }

    /// Runs `job` on the thread after the jobs submitted before it. The thread holds no reference
    /// to it: the caller keeps it alive until it has run, and the thread touches it no more once
    /// its ``Job/run()`` has told the caller that it ended.
    /// - Returns: the job's place in line, for ``finishedJobs``.
    func submit(unretained job: Job) -> Int {
        worker.submit(.passUnretained(job))
    }

    /// Which jobs have run, for a caller that waits awake: a value alone on its cache lines,
    /// which the thread writes once per job. A copy reads nothing else, so a caller's looks do
    /// not take from the thread the cache lines it works on (those of this object, of the
    /// worker, or of whatever the allocator put beside them).
    var finishedJobs: FinishedJobs { FinishedJobs(count: worker.finishedJobs.address) }

    /// See ``finishedJobs``; valid while its thread's object lives.
    struct FinishedJobs: @unchecked Sendable {
        fileprivate let count: UnsafePointer<Atomic<Int>>

        /// Whether the job with place `ticket` in line (see ``submit(unretained:)``), and those
        /// before it, have run.
        func include(_ ticket: Int) -> Bool {
            count.pointee.load(ordering: .acquiring) >= ticket
        }
    }

    /// Whether the recent bodies here took less than ``shortBody`` on average (a running average,
    /// a quarter weight for the newest), so a caller may wait awake for the next.
    var recentBodiesAreShort: Bool { worker.recentBodiesAreShort }

    /// The thread ends once the jobs already submitted have run.
    deinit {
        worker.stop()
    }

    /// Work for the thread, linked into its queue by the job itself, so that submitting one
    /// allocates nothing more. Subclasses override ``run()``.
    class Job: @unchecked Sendable {
        /// Whether the caller waits awake for the job: then its next one is likely to follow
        /// within microseconds, and the thread lingers for it.
        let callerWaitsAwake: Bool
        /// The CPU of a caller that waits awake, which the thread keeps off (see ``CoreSeparation``).
        let callerCPU: Int32?
        /// Whether the queue holds a reference to the job, let go of once it ran.
        fileprivate var retainedByQueue = false
        /// Whether the job's duration counts toward ``ConnectionThread/recentBodiesAreShort``: not
        /// for a slice of a task that prefers the thread, which runs until the task suspends.
        fileprivate var isBody = true
        /// The job submitted after this one; guarded by the worker's lock.
        fileprivate var next: Unmanaged<Job>?

        init(callerWaitsAwake: Bool, callerCPU: Int32?) {
            self.callerWaitsAwake = callerWaitsAwake
            self.callerCPU = callerCPU
        }

        /// Does the job's work, on the thread.
        func run() {
            preconditionFailure("\(type(of: self)) does not override run()")
        }
    }

    /// A closure to run, which the queue holds until it ran.
    private final class ClosureJob: Job, @unchecked Sendable {
        private let body: @Sendable () -> Void

        init(callerWaitsAwake: Bool, callerCPU: Int32?, _ body: @escaping @Sendable () -> Void) {
            self.body = body
            super.init(callerWaitsAwake: callerWaitsAwake, callerCPU: callerCPU)
            retainedByQueue = true
        }

        override func run() { body() }
    }

    /// A running average of durations, a quarter weight for the newest.
    struct RunningAverage {
        private var nanoseconds = 0

        /// Counts `duration` in; returns the new average.
        mutating func add(_ duration: Duration) -> Duration {
            nanoseconds = (nanoseconds * 3 + duration.wholeNanoseconds) / 4
            return .nanoseconds(nanoseconds)
        }
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
            /// The oldest job not yet taken, and the newest.
            var first: Unmanaged<Job>?
            var last: Unmanaged<Job>?
            var sleeping = false
            var stopping = false
            /// How many jobs were submitted.
            var submitted = 0
        }

        private let state = Mutex(State())
        /// How many jobs wait: read without the lock while the thread lingers, alone on its cache
        /// lines so that callers writing their own data nearby do not take them from it.
        private let waiting = CacheLineAtomic(0)
        /// How many jobs ran: see ``ConnectionThread/finishedJobs``.
        let finishedJobs = CacheLineAtomic(0)
        private let wake = DispatchSemaphore(value: 0)
        /// See ``ConnectionThread/recentBodiesAreShort``. Written only when it changes: each
        /// write would take the cache line from the CPU of every caller that reads it.
        private let bodiesAreShort = Atomic<Bool>(true)

        var recentBodiesAreShort: Bool { bodiesAreShort.load(ordering: .relaxed) }

        func submit(_ job: Unmanaged<Job>) -> Int {
            let (sleeping, ticket) = state.withLock { state -> (Bool, Int) in
                if let last = state.last {
                    last._withUnsafeGuaranteedRef { $0.next = job }
                } else {
                    state.first = job
                }
                state.last = job
                state.submitted += 1
                waiting.withAtomic { _ = $0.wrappingAdd(1, ordering: .releasing) }
                defer { state.sleeping = false }
                return (state.sleeping, state.submitted)
            }
            if sleeping { wake.signal() }
            return ticket
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
            var bodyDurations = RunningAverage()
            var finished = 0
            var isBody = true
            let clock = ContinuousClock()
            while true {
                if let job = next() {
                    let start = clock.now
                    lingering = job._withUnsafeGuaranteedRef { job in
                        // Read before it runs: a job the caller holds may be gone afterwards.
                        let (callerWaitsAwake, retained) = (job.callerWaitsAwake, job.retainedByQueue)
                        isBody = job.isBody
                        if callerWaitsAwake, let callerCPU = job.callerCPU {
                            separation.separate(fromCallerOn: callerCPU)
                        }
                        job.run()
                        if retained { Unmanaged.passUnretained(job).release() }
                        return callerWaitsAwake
                    }
                    finished += 1
                    finishedJobs.withAtomic { $0.store(finished, ordering: .releasing) }
                    guard isBody else { continue }
                    // Measured after the caller has its result, so the clock costs it nothing.
                    let short = bodyDurations.add(clock.now - start) < ConnectionThread.shortBody
                    if short != bodiesAreShort.load(ordering: .relaxed) {
                        bodiesAreShort.store(short, ordering: .relaxed)
                    }
                    continue
                }
                if lingering, linger() { continue }
                lingering = false
                let sleep = state.withLock { state -> Bool? in
                    if state.first != nil { return false }
                    if state.stopping { return nil }
                    state.sleeping = true
                    return true
                }
                guard let sleep else { return }
                if sleep { wake.wait() }
            }
        }

        private func next() -> Unmanaged<Job>? {
            guard waiting.withAtomic({ $0.load(ordering: .acquiring) }) > 0 else { return nil }
            return state.withLock { state in
                guard let first = state.first else { return nil }
                waiting.withAtomic { _ = $0.wrappingSubtract(1, ordering: .relaxed) }
                state.first = first._withUnsafeGuaranteedRef { job in
                    defer { job.next = nil }
                    return job.next
                }
                if state.first == nil { state.last = nil }
                return first
            }
        }

        /// Waits awake up to ``ConnectionThread/lingering`` for a job (see ``SpinWait``); true
        /// when one came. Not while other async calls of the process are in flight besides the
        /// one just served: then the cores have other work.
        private func linger() -> Bool {
            guard Connection.callsInFlight.withAtomic({ $0.load(ordering: .relaxed) }) <= 1 else { return false }
            // Looks read the count alone, not this object's cache line (see `CacheLineAtomic.address`).
            let waiting = waiting.address
            return SpinWait.connectionThreads.until(
                { waiting.pointee.load(ordering: .acquiring) > 0 }, within: ConnectionThread.lingering)
        }
    }
}
