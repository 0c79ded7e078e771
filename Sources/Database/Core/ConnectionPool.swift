import Dispatch
import Synchronization

/// Hands connections to callers, opening up to `capacity` of them and reusing idle ones.
///
/// Waiting callers are served first come, first served. Async callers suspend, and a connection
/// opened for one is opened on a thread of the database layer; synchronous callers block their
/// thread and open on it. A connection held by a synchronous body (`Database.withConnection(_:)`)
/// is on its way back; one held by a session (`Database.withSession(_:)`) comes back when the
/// session's body ends, which may await other things meanwhile, and a blocked caller waits as
/// long. An async caller whose task is cancelled while it waits stops waiting and throws
/// `CancellationError`; what the pool was about to hand it goes to the next waiter.
final class ConnectionPool: Sendable {
    private enum Waiter {
        case async(AsyncHandoff)
        case blocking(BlockingHandoff)
    }

    private struct State: ~Copyable {
        var idle: [Connection] = []
        var open = 0
        var waiters: [Waiter] = []
        var closed = false
    }

    /// What a caller gets: an idle connection, or a place in the pool to open one in.
    fileprivate enum Acquisition: Sendable {
        case ready(Connection)
        case open
    }

    let capacity: Int
    private let state = Mutex(State())
    private let connect: @Sendable () throws -> Connection

    init(capacity: Int, connect: @escaping @Sendable () throws -> Connection) {
        precondition(capacity > 0, "a pool needs room for one connection")
        self.capacity = capacity
        self.connect = connect
    }

    /// Takes a connection, blocking the calling thread while all are busy.
    func acquire() throws -> Connection {
        let acquisition: Acquisition
        if let available = try state.withLock({ state in try Self.takeAvailable(&state, capacity: capacity) }) {
            acquisition = available
        } else {
            acquisition = try waitForConnection()
        }
        switch acquisition {
        case .ready(let connection): return connection
        case .open: return try openConnection()
        }
    }

    /// An idle connection, taken without suspending, or nil when none is idle (then the async
    /// ``acquire()`` waits for one or opens one). Synchronous, so the common case costs an async
    /// caller no call of an async function.
    func takeIdle() throws -> Connection? {
        try state.withLock { state in try Self.takeIdle(&state) }
    }

    /// Takes a connection, suspending the task while all are busy; a new connection is opened
    /// on a thread of its own, since opening one blocks.
    func acquire() async throws -> Connection {
        // An idle connection or a free place is taken without suspending: a continuation resumed
        // at once still sends the task through the executor's queue.
        let acquisition: Acquisition
        if let available = try state.withLock({ state in try Self.takeAvailable(&state, capacity: capacity) }) {
            acquisition = available
        } else {
            acquisition = try await waitForConnection()
        }
        switch acquisition {
        case .ready(let connection): return connection
        case .open:
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue(label: "tandem.database.open").async {
                    continuation.resume(with: Result { try self.openConnection() })
                }
            }
        }
    }

    /// Blocks until a connection is returned or a place frees up (checked again under the lock,
    /// since one may have come back since the caller looked). The hand-off (a semaphore) is made
    /// only here: a call that finds a connection idle allocates nothing.
    private func waitForConnection() throws -> Acquisition {
        let handoff = BlockingHandoff()
        let acquisition: Acquisition? = try state.withLock { state in
            if let available = try Self.takeAvailable(&state, capacity: capacity) { return available }
            state.waiters.append(.blocking(handoff))
            return nil
        }
        return try acquisition ?? handoff.wait()
    }

    /// Suspends until a connection is returned or a place frees up (checked again under the lock,
    /// since one may have come back since the caller looked), or until the task is cancelled:
    /// then it throws `CancellationError` and leaves the queue.
    private func waitForConnection() async throws -> Acquisition {
        let handoff = AsyncHandoff()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // False when the task was cancelled before it got here: the handoff then already
                // resumed the continuation with the cancellation.
                guard handoff.attach(continuation) else { return }
                let outcome = Result {
                    try state.withLock { state -> Acquisition? in
                        if let available = try Self.takeAvailable(&state, capacity: capacity) { return available }
                        state.waiters.append(.async(handoff))
                        return nil
                    }
                }
                switch outcome {
                case .success(nil): break
                case .success(let acquisition?): deliver(acquisition, to: .async(handoff))
                case .failure(let error): _ = handoff.deliver(.failure(error))
                }
            }
        } onCancel: {
            guard handoff.cancel() else { return }
            state.withLock { state in
                state.waiters.removeAll { waiter in
                    if case .async(let queued) = waiter { return queued === handoff }
                    return false
                }
            }
        }
    }

    /// How many callers wait for a connection (for tests).
    var waitingCallers: Int { state.withLock { $0.waiters.count } }

    /// An idle connection, or nil; throws once the pool is closed.
    private static func takeIdle(_ state: inout State) throws -> Connection? {
        if state.closed { throw PoolClosedError() }
        return state.idle.popLast()
    }

    /// An idle connection, or a place to open one in; nil when all are busy.
    private static func takeAvailable(_ state: inout State, capacity: Int) throws -> Acquisition? {
        if let connection = try takeIdle(&state) { return .ready(connection) }
        guard state.open < capacity else { return nil }
        state.open += 1
        return .open
    }

    /// Returns a connection. An unhealthy one, or any once the pool is closed, is closed on its
    /// own thread (closing can block) and its place handed to the next waiter, who opens a fresh
    /// connection in it. `healthy` is the connection's health when the caller already knows it
    /// (see `Connection.perform(_:healthAfterwards:)`); without it the pool asks the connection.
    func release(_ connection: Connection, healthy: Bool? = nil) {
        let healthy = healthy ?? connection.isHealthy
        let (waiter, kept): (Waiter?, Bool) = state.withLock { state in
            if !healthy || state.closed {
                // The place stays counted until the waiter has opened its connection, so no
                // other caller can take it and overfill the pool.
                if state.waiters.isEmpty {
                    state.open -= 1
                    return (nil, false)
                }
                return (state.waiters.removeFirst(), false)
            }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return (nil, true)
            }
            return (state.waiters.removeFirst(), true)
        }
        if !kept {
            // Closed there explicitly: the caller may still hold a reference, and when the thread
            // is done first, the last one would go on the caller's (perhaps cooperative) thread.
            connection.thread.submit { connection.close() }
        }
        guard let waiter else { return }
        deliver(kept ? .ready(connection) : .open, to: waiter)
    }

    /// Hands `acquisition` to `waiter`, taken off the queue; when the waiter's task was cancelled
    /// meanwhile, the connection comes back to the pool, or the place goes to the next waiter.
    private func deliver(_ acquisition: Acquisition, to waiter: Waiter) {
        guard !resume(waiter, with: .success(acquisition)) else { return }
        switch acquisition {
        case .ready(let connection): release(connection, healthy: true)
        case .open: givePlaceBack()
        }
    }

    /// Gives a place taken for a connection that will not be opened to the first waiter, who
    /// opens one in it, or frees it.
    private func givePlaceBack() {
        let next = state.withLock { state -> Waiter? in
            if !state.closed, !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        if let next { deliver(.open, to: next) }
    }

    /// Closes idle connections, outside the pool's lock (closing can block), and refuses new
    /// acquisitions; the idle ones are closed when it returns.
    func close() {
        let (waiters, idle) = state.withLock { state -> ([Waiter], [Connection]) in
            state.closed = true
            state.open -= state.idle.count
            defer {
                state.waiters.removeAll()
                state.idle.removeAll()
            }
            return (state.waiters, state.idle)
        }
        for waiter in waiters { _ = resume(waiter, with: .failure(PoolClosedError())) }
        // Here, before the caller goes on: a CLI command exits next, and SQLite checkpoints its
        // WAL on close.
        for connection in idle { connection.close() }
    }

    /// Opens a connection in a place taken for it. When that fails while other connections are
    /// open, the place goes to the first waiter, who tries in turn: a waiter must not wait for a
    /// connection that no one opens. When none is open (the server is likely down), every
    /// waiter fails at once with the error rather than each waiting for a connect attempt.
    private func openConnection() throws -> Connection {
        do {
            return try connect()
        } catch {
            let (next, stranded) = state.withLock { state -> (Waiter?, [Waiter]) in
                if !state.closed, state.open > 1, !state.waiters.isEmpty {
                    return (state.waiters.removeFirst(), [])
                }
                state.open -= 1
                guard state.open == 0 else { return (nil, []) }
                defer { state.waiters.removeAll() }
                return (nil, state.waiters)
            }
            if let next { deliver(.open, to: next) }
            for waiter in stranded { _ = resume(waiter, with: .failure(error)) }
            throw error
        }
    }

    /// Resumes `waiter` with `result`; false when its task was cancelled and it is gone.
    private func resume(_ waiter: Waiter, with result: Result<Acquisition, any Error>) -> Bool {
        switch waiter {
        case .async(let handoff): return handoff.deliver(result)
        case .blocking(let handoff):
            handoff.deliver(result)
            return true
        }
    }
}

/// The error thrown when a closed ``Database`` is used.
struct PoolClosedError: Error, CustomStringConvertible {
    var description: String { "the database was closed" }
}

/// Passes a connection, or a place to open one in, to a task suspended in the async
/// `ConnectionPool.acquire()`, unless the task was cancelled first: whichever of the two comes
/// first resumes the task, and the other learns that it came too late.
private final class AsyncHandoff: Sendable {
    private enum Stage {
        /// The task has not suspended yet.
        case starting
        case waiting(CheckedContinuation<ConnectionPool.Acquisition, any Error>)
        /// The task was resumed, with an acquisition, an error or its cancellation.
        case ended
    }

    private let stage = Mutex(Stage.starting)

    /// Keeps the suspended task's continuation; false, after resuming it with
    /// `CancellationError`, when the task was cancelled before it suspended.
    func attach(_ continuation: CheckedContinuation<ConnectionPool.Acquisition, any Error>) -> Bool {
        let attached = stage.withLock { stage -> Bool in
            guard case .starting = stage else { return false }
            stage = .waiting(continuation)
            return true
        }
        if !attached { continuation.resume(throwing: CancellationError()) }
        return attached
    }

    /// Resumes the task with `result`; false when it was resumed already (it was cancelled).
    func deliver(_ result: Result<ConnectionPool.Acquisition, any Error>) -> Bool {
        guard let continuation = end() else { return false }
        continuation.resume(with: result)
        return true
    }

    /// Resumes the task with `CancellationError`, or marks it cancelled so that it does not
    /// suspend; false when it was resumed already.
    func cancel() -> Bool {
        let (cancelled, continuation) = stage.withLock {
            stage -> (Bool, CheckedContinuation<ConnectionPool.Acquisition, any Error>?) in
            switch stage {
            case .starting:
                stage = .ended
                return (true, nil)
            case .waiting(let continuation):
                stage = .ended
                return (true, continuation)
            case .ended:
                return (false, nil)
            }
        }
        continuation?.resume(throwing: CancellationError())
        return cancelled
    }

    /// The waiting continuation, now ended; nil when there is none to resume.
    private func end() -> CheckedContinuation<ConnectionPool.Acquisition, any Error>? {
        stage.withLock { stage in
            guard case .waiting(let continuation) = stage else { return nil }
            stage = .ended
            return continuation
        }
    }
}

/// Passes a connection, or a place to open one in, to a thread blocked in the synchronous
/// `ConnectionPool.acquire()`.
private final class BlockingHandoff: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<ConnectionPool.Acquisition, any Error>?>(nil)

    func deliver(_ value: Result<ConnectionPool.Acquisition, any Error>) {
        result.withLock { $0 = value }
        semaphore.signal()
    }

    func wait() throws -> ConnectionPool.Acquisition {
        semaphore.wait()
        return try result.withLock { $0! }.get()
    }
}
