import Foundation
import Synchronization
import TandemDatabase

/// Opens a transaction on `database`, runs `statements` in it, and keeps it open, holding the
/// locks they took (on SQLite: the database's write lock, once they wrote), until `release`
/// returns true; then reads with `beforeCommit` and commits.
///
/// Returns once the locks are held (within 30 s, else it throws; when `statements` throw, it
/// throws their error), with the task that ends with the commit and gives what `beforeCommit`
/// read. For tests of what another session's lock does to the code under test:
///
/// ```swift
/// let released = Atomic<Bool>(false)
/// let holder = try await holdingLocks(on: database, { try $0.execute("LOCK TABLE item") }) {
///     released.load(ordering: .sequentiallyConsistent)
/// }
/// ```
public func holdingLocks<T: Sendable>(
    on database: Database, _ statements: @escaping @Sendable (Connection) throws -> Void,
    until release: @escaping @Sendable () -> Bool,
    beforeCommit: @escaping @Sendable (Connection) throws -> T = { _ in () }
) async throws -> Task<T, any Error> {
    // 0 while the statements run, 1 once they hold their locks, 2 when they threw.
    let progress = Atomic<Int>(0)
    let holder = Task {
        try await database.transaction { connection in
            do {
                try statements(connection)
            } catch {
                progress.store(2, ordering: .sequentiallyConsistent)
                throw error
            }
            progress.store(1, ordering: .sequentiallyConsistent)
            while !release() { Thread.sleep(forTimeInterval: 0.005) }
            return try beforeCommit(connection)
        }
    }
    let deadline = ContinuousClock.now.advanced(by: .seconds(30))
    while progress.load(ordering: .sequentiallyConsistent) != 1 {
        if progress.load(ordering: .sequentiallyConsistent) == 2 { _ = try await holder.value }
        guard ContinuousClock.now < deadline else {
            holder.cancel()
            throw TestSetupError(message: "the transaction that should hold the locks did not take them within 30 s")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
    return holder
}
