import Dispatch

/// Runs blocking file work on a thread of its own while the caller suspends, so Swift's
/// cooperative pool never waits for the disk.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "tandem.tasks.io", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
