import Synchronization

extension Connection {
    /// Runs `body` with this connection on the connection's own thread and returns its result to
    /// the calling task: the blocking database work happens on a thread of the database layer,
    /// never on Swift's cooperative pool.
    ///
    /// Bodies given to one connection run one at a time, in the order they were submitted. When
    /// this is the process's one async call in flight and the connection's recent bodies were short
    /// (under ``awaitingAwake`` on average: statements of a few rows), the caller waits awake for up to that
    /// long (see ``SpinWait``) before it suspends: sleeping and being woken costs more than such a
    /// statement on a small machine, and the connection's thread likewise stays awake a moment for
    /// the next body. Nobody waits awake for a while after a wait showed the CPUs busy with other
    /// work (see ``SpinWait``). A slow body, or one that outlasts the wait, is awaited suspended.
    /// So a call costs the cooperative thread at most ``awaitingAwake`` of its time, like a small
    /// computation, and never waits on the database itself. Still, put the statements of one unit
    /// of work in one body rather than one call per statement. Use this when async code already
    /// holds a connection; `Database.withConnection(_:)` and `Database.transaction(_:)` (async)
    /// call it for you.
    ///
    /// Cancelling the awaiting task does not interrupt the body: the database cannot stop a
    /// statement half way through a caller's logic. The body runs to completion on its thread,
    /// the task resumes with its result or error afterwards, and the connection is free again.
    ///
    /// A task already running on this connection's thread (inside `Database.withSession(_:)`)
    /// runs the body at once, where it is: there is nothing to hand off.
    @discardableResult
    public func perform<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        var unused: Bool?
        return try await perform(body, healthAfterwards: &unused)
    }

    /// ``perform(_:)``, which also tells the pool whether the connection can be used again
    /// (``isHealthy``) when the body ran on the connection's thread: the thread looks at the
    /// connection's state while it is in its own cache, where a look from the caller's CPU would
    /// fetch it back (0.1 µs a call, several times that while the host runs the VM's CPUs on cores
    /// that share no cache). `healthAfterwards` stays nil when the caller must ask.
    func perform<T: Sendable>(
        _ body: @Sendable (Connection) throws -> T, healthAfterwards: inout Bool?
    ) async throws -> T {
        if thread.isCurrent { return try body(self) }
        // Waiting awake pays only while this is the one call in flight: with more, the cores have
        // other work, and a spinning waiter would take its share.
        let othersInFlight = Self.callsInFlight.withAtomic { $0.wrappingAdd(1, ordering: .relaxed).oldValue }
        defer { Self.callsInFlight.withAtomic { _ = $0.wrappingSubtract(1, ordering: .relaxed) } }
        return try await withoutActuallyEscaping(body) { body in
            // The value comes back through memory of T's size, and the call itself is not
            // generic: the runtime's caches of generic types' metadata count their readers in a
            // shared counter, and a lookup on each side of every call would bounce that counter's
            // cache line between the caller's CPU and the thread's.
            nonisolated(unsafe) let output = UnsafeMutablePointer<T>.allocate(capacity: 1)
            defer { output.deallocate() }
            let spinning =
                othersInFlight == 0 && thread.recentBodiesAreShort && SpinWait.busyCPUs.waitingAwakePays()
            let call = PendingCall(
                on: self, callerWaitsAwake: spinning, callerCPU: spinning ? CoreSeparation.currentCPU() : nil
            ) { connection in
                do {
                    output.initialize(to: try body(connection))
                    return nil
                } catch {
                    return error
                }
            }
            let ticket = thread.submit(unretained: call)
            let finishedJobs = thread.finishedJobs
            if !spinning || !SpinWait.callers.until({ finishedJobs.include(ticket) }, within: Self.awaitingAwake) {
                await call.waitAsleep()
            }
            healthAfterwards = call.healthAfterwards
            if let error = call.error { throw error }
            return output.move()
        }
    }

    /// How long an async caller waits awake for its body before it sleeps, and the longest
    /// recent body duration on the connection for which it waits awake at all.
    ///
    /// Well above a local PostgreSQL round trip: a single-row get there took 65–90 µs while its
    /// caller waited awake, and 115–125 µs while it slept, since the idle CPUs then wake late for
    /// the server and for the connection's thread. At 100 µs the running average sat between the
    /// two and tipped, for many slices of `tandem-bench orm` at a time, into sleeping: async/sync
    /// read 1.0 in those slices that spun and 1.4 in those that slept, 1.25–1.43 over a run.
    /// At 200 µs every call of that phase waited awake, 1.02–1.18 over a run.
    static let awaitingAwake: Duration = .microseconds(200)

    /// How many async calls of the process wait for their bodies: callers and connection threads
    /// wait awake only while there is one.
    static let callsInFlight = CacheLineAtomic(0)
}

/// One body on its way to a connection's thread, and word of how it ended on the way back: the
/// caller holds it, the thread only borrows it, and the body leaves its value where its caller
/// reads it.
///
/// The thread touches the call no more once it has said that the body ended, so the caller may
/// free it as soon as it knows; the call, and the body with it, are gone before
/// `withoutActuallyEscaping` checks that nothing holds the body.
private final class PendingCall: ConnectionThread.Job, @unchecked Sendable {
    /// The caller's body, which stores its value itself and returns its error if it threw.
    typealias Body = @Sendable (Connection) -> (any Error)?

    private enum Stage: Int {
        /// The body has not ended, and its caller is not asleep.
        case running
        /// The body ended; ``error`` says how.
        case finished
        /// The caller sleeps in ``continuation`` until the body ends.
        case callerAsleep
    }

    /// The body. The caller lets go of it with the call: when the thread freed what the caller
    /// allocated, the allocator would hand that memory to the thread's next allocations, beside
    /// the caller's.
    private let body: Body
    private unowned(unsafe) let connection: Connection
    /// The body's error if it threw: written by the thread before it publishes ``Stage/finished``.
    private(set) var error: (any Error)?
    /// Whether the connection can be used again after the body (``Connection/isHealthy``):
    /// written by the thread with ``error``.
    private(set) var healthAfterwards: Bool?
    /// The sleeping caller: written by the caller before it publishes ``Stage/callerAsleep``.
    private var continuation: UnsafeContinuation<Void, Never>?
    private let stage = Atomic<Int>(Stage.running.rawValue)

    init(on connection: Connection, callerWaitsAwake: Bool, callerCPU: Int32?, _ body: @escaping Body) {
        self.body = body
        self.connection = connection
        super.init(callerWaitsAwake: callerWaitsAwake, callerCPU: callerCPU)
    }

    /// Runs the body on the connection's thread and tells the caller that it ended.
    override func run() {
        error = body(connection)
        healthAfterwards = connection.isHealthy
        let previous = stage.exchange(Stage.finished.rawValue, ordering: .acquiringAndReleasing)
        if previous == Stage.callerAsleep.rawValue, let continuation {
            // The caller sleeps until this, so the call is still there to read.
            continuation.resume()
        }
    }

    /// Suspends the caller until the body ends, unless it already has.
    func waitAsleep() async {
        await withUnsafeContinuation { continuation in
            self.continuation = continuation
            let asleep = stage.compareExchange(
                expected: Stage.running.rawValue, desired: Stage.callerAsleep.rawValue,
                ordering: .acquiringAndReleasing
            ).exchanged
            if !asleep { continuation.resume() }
        }
    }
}
