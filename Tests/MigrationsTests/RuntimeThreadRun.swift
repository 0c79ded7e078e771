import Foundation
import Synchronization

/// `body` run on a thread of its own, started at once: unlike a task, it needs no thread of the
/// cooperative pool, which other tests' blocking work may hold.
final class ThreadRun<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Blocks until `body` returns, and returns what it did.
    func wait() throws -> T {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
