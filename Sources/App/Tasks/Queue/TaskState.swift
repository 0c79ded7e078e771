/// Where a task is in its life. `waiting` and `running` (and `canceling`) are on the way; the
/// other three are final, and every task ends in exactly one of them.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    /// Dispatched, waiting for its reservations and a worker.
    case waiting
    /// A worker (or the dispatching process, for an immediate task) runs it.
    case running
    /// Ended without error.
    case completed
    /// Ended with an error, a crash, a time limit, or a worker that went missing.
    case failed
    /// Asked to stop while running; it still holds its reservations until it stops.
    case canceling
    /// Stopped on request, or never started (an immediate task whose resources were busy).
    case canceled

    /// Whether the state is final.
    public var isFinal: Bool { self == .completed || self == .failed || self == .canceled }

    /// The states in which a task holds its reservations.
    static let holding: [TaskState] = [.running, .canceling]
}
