import Synchronization

extension Connection {
    /// Runs `body` with this connection on the connection's own thread and returns its result to
    /// the calling task: the blocking database work happens on a thread of the database layer,
    /// never on Swift's cooperative pool.
    ///
    /// Bodies given to one connection run one at a time, in the order they were submitted. When
    /// this is the process's one async call in flight and the connection's recent bodies took less
    /// than ``awaitingAwake`` (statements of a few rows), the caller waits awake for up to that
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
    @discardableResult
    public func perform<T: Sendable>(_ body: @Sendable (Connection) throws -> T) async throws -> T {
        // Waiting awake pays only while this is the one call in flight: with more, the cores have
        // other work, and a spinning waiter would take its share.
        let othersInFlight = Self.callsInFlight.wrappingAdd(1, ordering: .relaxed).oldValue
        defer { Self.callsInFlight.wrappingSubtract(1, ordering: .relaxed) }
        return try await withoutActuallyEscaping(body) { body in
            // The result comes back through memory of T's size: the hand-off itself is not
            // generic, so it asks the runtime for no generic type's metadata on each call.
            nonisolated(unsafe) let output = UnsafeMutablePointer<T>.allocate(capacity: 1)
            defer { output.deallocate() }
            let call = PendingCall { connection in
                do {
                    output.initialize(to: try body(connection))
                    return .succeeded
                } catch {
                    return .failed(error)
                }
            }
            let spinning =
                othersInFlight == 0 && thread.recentBodyDuration < Self.awaitingAwake
                && SpinWait.busyCPUs.waitingAwakePays()
            thread.submit(callerWaitsAwake: spinning, callerCPU: spinning ? CoreSeparation.currentCPU() : nil) {
                call.run(on: self)
            }
            if case .failed(let error) = await call.outcome(spinningFor: spinning ? Self.awaitingAwake : .zero) {
                throw error
            }
            return output.move()
        }
    }

    /// How long an async caller waits awake for its body before it sleeps, and the longest
    /// recent body duration on the connection for which it waits awake at all.
    static let awaitingAwake: Duration = .microseconds(100)

    /// How many async calls of the process wait for their bodies: callers and connection threads
    /// wait awake only while there is one.
    static let callsInFlight = Atomic<Int>(0)
}

/// One body on its way to a connection's thread, and word of how it ended on the way back: the
/// body leaves its value where its caller reads it.
///
/// The body is let go of before the outcome is published: `withoutActuallyEscaping` checks that
/// nothing holds it once the caller goes on.
private final class PendingCall: Sendable {
    /// How a body ended: its value is already where its caller reads it.
    enum Outcome: Sendable {
        case succeeded
        case failed(any Error)
    }

    /// The caller's body, which stores its value itself.
    typealias Body = @Sendable (Connection) -> Outcome

    private struct State {
        /// The body, until the connection's thread takes it.
        var body: Body?
        /// How the body ended, until the caller takes it.
        var outcome: Outcome?
        /// The caller, once it waits asleep.
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let state: Mutex<State>
    /// Set once the body ran: read without the lock while the caller yields.
    private let finished = Atomic<Bool>(false)

    init(_ body: @escaping Body) {
        state = Mutex(State(body: body))
    }

    /// Runs the body on the connection's thread and tells the caller how it ended.
    func run(on connection: Connection) {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = execute(on: connection)
        connection.thread.recordBodyDuration(clock.now - start)
        let continuation = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard let continuation = state.continuation else {
                state.outcome = outcome
                return nil
            }
            state.continuation = nil
            return continuation
        }
        finished.store(true, ordering: .releasing)
        continuation?.resume(returning: outcome)
    }

    /// How the body ended, once it has: waited for awake for up to `budget` (see ``SpinWait``),
    /// then suspended.
    func outcome(spinningFor budget: Duration) async -> Outcome {
        if budget > .zero, SpinWait.callers.until({ finished.load(ordering: .acquiring) }, within: budget),
            let outcome = state.withLock({ $0.outcome.take() })
        {
            return outcome
        }
        return await withCheckedContinuation { continuation in
            let outcome = state.withLock { state -> Outcome? in
                guard let outcome = state.outcome.take() else {
                    state.continuation = continuation
                    return nil
                }
                return outcome
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    /// Takes the body and runs it; the body is released when this returns.
    private func execute(on connection: Connection) -> Outcome {
        guard let body = state.withLock({ $0.body.take() }) else { preconditionFailure("a connection body runs once") }
        return body(connection)
    }
}
