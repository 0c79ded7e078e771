import Foundation
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemMigrations

/// A task worker: registers a `worker` process with heartbeats, claims runnable tasks first come
/// first served and runs them one at a time, each in a clean working directory.
///
/// ```swift
/// let worker = Worker(queue: TaskQueue(database: database, registry: registry, settings: settings),
///                     versions: application.componentVersions)
/// let stop = WorkerStop()          // SIGTERM calls stop.request()
/// try await worker.run(stop: stop)
/// ```
///
/// The worker registers through ``ProcessRegistration`` (kind `worker`, heartbeats at a third of
/// `process_ttl.worker`) before it claims anything, and runs its loop beside the registration in
/// a `ServiceGroup`: when the loop ends (a stop request, or a drained queue in burst mode) the
/// group shuts down gracefully and the registration deletes its row; when two heartbeats in a row
/// fail, the loop stops at once (the running task is marked failed) and ``run(burst:stop:)``
/// throws ``ProcessRegistrationError/heartbeatLost(id:failures:)``.
///
/// An idle worker wakes at once when there may be work (PostgreSQL `LISTEN`/`NOTIFY`, local
/// sockets on SQLite) and looks anyway every ``TaskSettings/idleCheckInterval``, also for
/// workers that went missing (their running tasks are marked failed). A worker skips tasks
/// recorded with a plugin version newer than its own: they wait for an upgraded worker.
public final class Worker: Sendable {
    /// The queue it serves.
    public let queue: TaskQueue
    /// The versions its heartbeat reports: each plugin's release.
    public let versions: [String: SemanticVersion]
    private let logger: Logger

    /// Creates a worker for `queue`.
    /// - Parameter versions: what its heartbeat reports (`Application.componentVersions`); nil
    ///   reports the versions of the plugins that registered the queue's tasks.
    public init(
        queue: TaskQueue, versions: [String: SemanticVersion]? = nil, logger: Logger = Logger(label: "tandem.worker")
    ) {
        self.queue = queue
        self.versions = versions ?? queue.registry.pluginVersions.compactMapValues(SemanticVersion.init)
        self.logger = logger
    }

    /// What a run did.
    public struct Report: Sendable {
        /// How many tasks it ran, by final state.
        public var finished: [TaskState: Int] = [:]
        /// How many tasks of workers that went missing it marked failed.
        public var reaped = 0
    }

    /// Registers, then serves until `stop` is requested, or, with `burst`, until no task is
    /// runnable; deletes its `tandem_components` row when it ends.
    ///
    /// - Throws: the database's error when the worker cannot register (later database errors
    ///   are logged and retried, except in burst mode, where they end the run);
    ///   ``ProcessRegistrationError/heartbeatLost(id:failures:)`` when two heartbeats in a row
    ///   failed (the running task is then marked failed).
    @discardableResult
    public func run(burst: Bool = false, stop: WorkerStop = WorkerStop()) async throws -> Report {
        let registrationDatabase = try ProcessRegistration.database(beside: queue.database)
        defer { if registrationDatabase !== queue.database { registrationDatabase.close() } }
        let registration = ProcessRegistration(
            database: registrationDatabase,
            configuration: ProcessConfiguration(kind: .worker, ttls: queue.settings.processTTLs), versions: versions,
            logger: logger)
        try await registration.register()
        let loop = WorkerLoop(worker: self, name: registration.id, burst: burst, stop: stop)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    // The registration first: it stops last, once the loop has returned.
                    .init(service: registration),
                    .init(service: loop, successTerminationBehavior: .gracefullyShutdownGroup),
                ], logger: logger))
        try await group.run()
        return loop.report
    }

    /// The loop: claims and runs tasks under the runner name `name` (its `tandem_components` id).
    func serve(name: String, burst: Bool, stop: WorkerStop) async throws -> Report {
        let database = queue.database
        let settings = queue.settings
        var lock = try await RunnerLock.acquire(database.url)
        var runner = TaskRunnerIdentity.fresh(name: name, lockKey: lock?.key)
        let local = try Self.localWakeup(database.url)
        try await lock?.session.execute("LISTEN \(quoteIdentifier(TaskTables.channel))")
        logger.info("worker started", metadata: ["worker": "\(runner.name)"])
        var report = Report()
        let clock = ContinuousClock()
        var lastReap = clock.now - settings.idleCheckInterval
        do {
            var sessionLost = false
            while !stop.isRequested {
                if sessionLost {
                    // The server went away: the advisory lock went with the old session, so the
                    // worker takes a new one before it claims anything under it.
                    await lock?.release()
                    lock = try await reconnect(stop: stop)
                    runner = TaskRunnerIdentity.fresh(name: runner.name, lockKey: lock?.key)
                    sessionLost = false
                }
                let task: TaskRecord?
                do {
                    if clock.now - lastReap >= settings.idleCheckInterval {
                        lastReap = clock.now
                        report.reaped += try await reap()
                    }
                    task = try await claim(as: runner)
                } catch  where !burst && !stop.isRequested {
                    // The database is unreachable for now (a restart): nothing was claimed; retry.
                    logger.warning("cannot reach the task queue; retrying", metadata: ["error": "\(error)"])
                    sessionLost = lock != nil
                    try? await Task.sleep(for: .milliseconds(500))
                    continue
                }
                if let task {
                    let state = await TaskExecution(queue: queue, runner: runner, host: .worker(stop)).run(
                        task, timeLimit: nil)
                    report.finished[state, default: 0] += 1
                    continue
                }
                if burst { break }
                do {
                    try await waitForWork(lock: lock, local: local)
                } catch {
                    logger.warning("lost the wake-up session; reconnecting", metadata: ["error": "\(error)"])
                    sessionLost = true
                }
            }
        } catch {
            await lock?.release()
            throw error
        }
        await lock?.release()
        logger.info("worker stopped", metadata: ["worker": "\(runner.name)"])
        return report
    }

    private func reap() async throws -> Int {
        let timeout = queue.settings.heartbeatTimeout
        return try await queue.database.transaction { connection in
            try MissingRunners.reap(on: connection, heartbeatTimeout: timeout)
        }
    }

    private func claim(as runner: TaskRunnerIdentity) async throws -> TaskRecord? {
        let registry = queue.registry
        // The claimed task is read in the claim's own transaction: one trip to the database thread.
        return try await queue.database.transaction { connection in
            let id = try TaskStatements.claimNext(
                runner: runner, canRun: { Self.canRun($0.versions, registry: registry) }, on: connection)
            return try id.flatMap { try TaskStatements.task($0, on: connection) }
        }
    }

    /// Whether this process runs every plugin the task was dispatched with at that version or a
    /// newer one; otherwise the task waits for an upgraded worker.
    public static func canRun(_ versions: [String: String], registry: TaskRegistry) -> Bool {
        let ours = registry.pluginVersions
        return versions.allSatisfy { plugin, recorded in
            guard let mine = ours[plugin].flatMap(SemanticVersion.init), let theirs = SemanticVersion(recorded) else {
                return false
            }
            return mine >= theirs
        }
    }

    private func waitForWork(lock: RunnerLock?, local: LocalWakeup?) async throws {
        let interval = queue.settings.idleCheckInterval
        if let lock {
            _ = try await lock.session.waitForNotifications(timeout: interval)
        } else if let local {
            _ = await local.wait(timeout: interval)
        } else {
            try await Task.sleep(for: interval)
        }
    }

    private func reconnect(stop: WorkerStop) async throws -> RunnerLock? {
        while true {
            do {
                let lock = try await RunnerLock.acquire(queue.database.url)
                try await lock?.session.execute("LISTEN \(quoteIdentifier(TaskTables.channel))")
                return lock
            } catch {
                if stop.isRequested { throw error }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private static func localWakeup(_ url: DatabaseURL) throws -> LocalWakeup? {
        guard case .sqliteFile(let path) = url.location else { return nil }
        return try LocalWakeup(folder: LocalWakeup.folder(forDatabaseAt: path))
    }
}
