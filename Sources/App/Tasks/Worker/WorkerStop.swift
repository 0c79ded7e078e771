import Synchronization

/// How a worker is asked to stop: the first request (SIGTERM) lets the running task finish; a
/// second stops now (the running task is marked failed).
public final class WorkerStop: Sendable {
    private let requests = Mutex(0)

    /// Creates a stop switch no one has pressed yet.
    public init() {}

    /// Asks to stop: the first call after the running task, the second at once.
    public func request() {
        requests.withLock { $0 += 1 }
    }

    /// Asks to stop at once, whatever came before: the running task is marked failed.
    public func requestImmediate() {
        requests.withLock { $0 = max($0, 2) }
    }

    /// Whether a stop was asked for.
    public var isRequested: Bool { requests.withLock { $0 >= 1 } }

    /// Whether a stop now was asked for (a second request).
    public var isImmediate: Bool {
        get async { requests.withLock { $0 >= 2 } }
    }
}
