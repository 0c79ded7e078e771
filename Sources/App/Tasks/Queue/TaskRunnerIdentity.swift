import Foundation

/// Who runs a task: a worker, or a process running an immediate task. Recorded on the task so
/// that others can tell when it is gone.
struct TaskRunnerIdentity: Sendable {
    /// The worker's `tandem_components` id, or `immediate-<task id>`.
    let name: String
    /// The host it runs on.
    let host: String
    /// Its process id.
    let pid: Int
    /// The second key of the session advisory lock it holds while it lives (PostgreSQL only).
    let lockKey: Int32?

    /// This process under `name`.
    static func fresh(name: String, lockKey: Int32?) -> TaskRunnerIdentity {
        TaskRunnerIdentity(
            name: name, host: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
            lockKey: lockKey)
    }
}
