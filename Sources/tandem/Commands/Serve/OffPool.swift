import Foundation

/// Runs blocking work (a migration status read that takes a ``Database`` rather than a
/// connection) on a thread of its own, so the cooperative pool never waits on it.
enum OffPool {
    /// Runs `work` on a new thread and resumes with its result.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
