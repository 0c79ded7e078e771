import Dispatch
import Synchronization

/// Hands connections to callers, opening up to `capacity` of them and reusing idle ones.
///
/// Waiting callers are served first come, first served. Async callers suspend; synchronous
/// callers block their thread, which is safe because a connection is only ever held by
/// synchronous code (the bodies of ``Database/withConnection(_:)-6l5ll``), so every held
/// connection is on its way back.
final class ConnectionPool: Sendable {
    private enum Waiter {
        case async(CheckedContinuation<Connection, any Error>)
        case blocking(BlockingHandoff)
    }

    private struct State: ~Copyable {
        var idle: [Connection] = []
        var open = 0
        var waiters: [Waiter] = []
        var closed = false
    }

    private enum Acquisition {
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
        let handoff = BlockingHandoff()
        let acquisition: Acquisition? = try state.withLock { state in
            if state.closed { throw PoolClosedError() }
            if let connection = state.idle.popLast() { return .ready(connection) }
            if state.open < capacity {
                state.open += 1
                return .open
            }
            state.waiters.append(.blocking(handoff))
            return nil
        }
        switch acquisition {
        case .ready(let connection): return connection
        case .open: return try openConnection()
        case nil: return try handoff.wait()
        }
    }

    /// Takes a connection, suspending the task while all are busy.
    func acquire() async throws -> Connection {
        try await withCheckedThrowingContinuation { continuation in
            let acquisition: Acquisition?
            do {
                acquisition = try state.withLock { state in
                    if state.closed { throw PoolClosedError() }
                    if let connection = state.idle.popLast() { return .ready(connection) }
                    if state.open < capacity {
                        state.open += 1
                        return .open
                    }
                    state.waiters.append(.async(continuation))
                    return nil
                }
            } catch {
                continuation.resume(throwing: error)
                return
            }
            switch acquisition {
            case .ready(let connection): continuation.resume(returning: connection)
            case .open: continuation.resume(with: Result { try openConnection() })
            case nil: break
            }
        }
    }

    /// Returns a connection; an unhealthy one is closed and its place freed.
    func release(_ connection: Connection) {
        let healthy = connection.isHealthy
        let waiter: Waiter? = state.withLock { state in
            if !healthy || state.closed {
                // The place goes to the next waiter, who opens a fresh connection in it. It stays
                // counted meanwhile, so no other caller can take it and overfill the pool.
                if state.waiters.isEmpty {
                    state.open -= 1
                    return nil
                }
                return state.waiters.removeFirst()
            }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return nil
            }
            return state.waiters.removeFirst()
        }
        guard let waiter else { return }
        if healthy {
            resume(waiter, with: .success(connection))
        } else {
            resume(waiter, with: Result { try openConnection() })
        }
    }

    /// Closes idle connections and refuses new acquisitions.
    func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            state.open -= state.idle.count
            state.idle.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { resume(waiter, with: .failure(PoolClosedError())) }
    }

    private func openConnection() throws -> Connection {
        do {
            return try connect()
        } catch {
            // With no connection left to come back, waiters would wait forever: they fail too.
            let stranded = state.withLock { state -> [Waiter] in
                state.open -= 1
                guard state.open == 0 else { return [] }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in stranded { resume(waiter, with: .failure(error)) }
            throw error
        }
    }

    private func resume(_ waiter: Waiter, with result: Result<Connection, any Error>) {
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

/// Passes one connection to a thread blocked in ``ConnectionPool/acquire()-7y3k6``.
private final class BlockingHandoff: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Connection, any Error>?>(nil)

    func deliver(_ value: Result<Connection, any Error>) {
        result.withLock { $0 = value }
        semaphore.signal()
    }

    func wait() throws -> Connection {
        semaphore.wait()
        return try result.withLock { $0! }.get()
    }
}
