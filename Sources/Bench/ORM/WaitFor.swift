import Dispatch
import Synchronization

/// Runs async work from the benchmark's synchronous command and waits for its result.
///
/// The command runs on the main thread, which is not one of Swift's cooperative threads, so
/// blocking it on a semaphore stalls nothing the async work needs.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<T, any Error>?>(nil)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        semaphore.signal()
    }
    semaphore.wait()
    return try outcome.withLock { $0! }.get()
}
