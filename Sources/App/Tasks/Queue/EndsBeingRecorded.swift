import Foundation
import Synchronization

/// The ends of immediate tasks that this process still records in the background because the
/// database was busy or unreachable when they ended (see `TaskExecution.Host.dispatcher`), so
/// that a process about to exit can wait for them (``TaskQueue/waitForEndsBeingRecorded()``).
final class EndsBeingRecorded: Sendable {
    private let recordings = Mutex<[UUID: Task<Void, Never>]>([:])

    /// Runs `record` in a task of its own, tracked under the task's `id` until it returns.
    func start(_ id: UUID, _ record: @escaping @Sendable () async -> Void) {
        // Under the lock, so the recording cannot untrack itself before it is tracked.
        recordings.withLock { recordings in
            recordings[id] = Task {
                await record()
                self.recordings.withLock { _ = $0.removeValue(forKey: id) }
            }
        }
    }

    /// The tasks whose ends are being recorded.
    var tasks: [UUID] { recordings.withLock { Array($0.keys) } }

    /// Waits until every recording started so far has returned.
    func wait() async {
        while let next = recordings.withLock({ $0.values.first }) {
            await next.value
        }
    }

    /// Waits until every recording started so far has returned, `limit` has passed or the calling
    /// task is cancelled, whichever comes first; returns the ids of the tasks whose ends are still
    /// being recorded then. It looks every ``lookInterval``: a recording's own task cannot be
    /// awaited with a time limit.
    func wait(upTo limit: Duration) async -> [UUID] {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while true {
            let pending = tasks
            let left = deadline - ContinuousClock.now
            guard !pending.isEmpty, left > .zero, !Task.isCancelled else { return pending }
            try? await Task.sleep(for: min(left, Self.lookInterval))
        }
    }

    /// How often ``wait(upTo:)`` looks whether the recordings have returned.
    static let lookInterval: Duration = .milliseconds(20)
}
