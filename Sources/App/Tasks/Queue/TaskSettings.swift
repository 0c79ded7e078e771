import Foundation
import TandemApp

/// The task system's settings (the host's settings layer fills them: `working_directory`,
/// `immediate_task_time_limit`, `process_ttl.*`, …).
public struct TaskSettings: Sendable {
    /// The folder in which each worker makes a folder per running task (`working_directory`).
    public var workingDirectory: URL
    /// How long an immediate task may run in the dispatching process before it is stopped and
    /// marked failed (`immediate_task_time_limit`); also how long its caller waits for its end to
    /// be recorded while the database is busy or unreachable, before the process goes on trying in
    /// the background.
    public var immediateTimeLimit: Duration
    /// Every kind's heartbeat TTL (`process_ttl.*`): a worker registers as a `worker` process and
    /// reports every third of `worker`'s, and cleans stale rows of every kind.
    public var processTTLs: ProcessTTLs
    /// How long an idle worker waits for a wake-up before looking again anyway, and how often it
    /// looks for workers that went missing.
    public var idleCheckInterval: Duration

    /// Creates settings; the defaults suit tests and small installations.
    public init(
        workingDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-workers"),
        immediateTimeLimit: Duration = .seconds(5), processTTLs: ProcessTTLs = .defaults,
        idleCheckInterval: Duration = .milliseconds(250)
    ) {
        self.workingDirectory = workingDirectory
        self.immediateTimeLimit = immediateTimeLimit
        self.processTTLs = processTTLs
        self.idleCheckInterval = idleCheckInterval
    }

    /// After how long without a heartbeat a SQLite worker counts as gone: the worker TTL
    /// (PostgreSQL notices a dead worker through its advisory lock at once).
    public var heartbeatTimeout: Duration { processTTLs.worker }
}
