import Dispatch
import Synchronization

/// Hands connections to callers, opening up to `capacity` of them and reusing idle ones.
///
/// Waiting callers are served first come, first served. Async callers suspend, and a connection
/// opened for one is opened on a thread of the database layer; synchronous callers block their
/// thread and open on it, which is safe because a connection is only ever held by synchronous
/// code (the bodies of `Database.withConnection(_:)`), so every held connection is on its way
/// back.
final class ConnectionPool: Sendable {
    private enum Waiter {
        case async(CheckedContinuation<Acquisition, any Error>)
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
    /// since one may have come back since the caller looked).
    private func waitForConnection() async throws -> Acquisition {
        try await withCheckedThrowingContinuation { continuation in
            let acquisition: Acquisition?
            do {
                acquisition = try state.withLock { state in
                    if let available = try Self.takeAvailable(&state, capacity: capacity) { return available }
                    state.waiters.append(.async(continuation))
                    return nil
                }
            } catch {
                continuation.resume(throwing: error)
                return
            }
            if let acquisition { continuation.resume(returning: acquisition) }
        }
    }

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
            connection.thread.submit { withExtendedLifetime(connection) {} }
        }
        guard let waiter else { return }
        resume(waiter, with: .success(kept ? .ready(connection) : .open))
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
        for waiter in waiters { resume(waiter, with: .failure(PoolClosedError())) }
        // The last references: the connections close here, before the caller goes on (a CLI
        // command exits next, and SQLite checkpoints its WAL on close).
        withExtendedLifetime(idle) {}
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
            if let next { resume(next, with: .success(.open)) }
            for waiter in stranded { resume(waiter, with: .failure(error)) }
            throw error
        }
    }

    private func resume(_ waiter: Waiter, with result: Result<Acquisition, any Error>) {
        switch waiter {
        case .async(let continuation): continuation.resume(with: result)
        case .blocking(let handoff): handoff.deliver(result)
        }
    }
}

/// The error thrown when a closed ``Database`` is used.
struct PoolClosedError: Error, CustomStringConvertible {
    var description: String { "the database was closed" }
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
