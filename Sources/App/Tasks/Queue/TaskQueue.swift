import Foundation
import Logging
import TandemDatabase

/// The task queue: dispatch, inspect and cancel tasks. Workers (``Worker``) run what it holds.
///
/// ```swift
/// let queue = TaskQueue(database: database, registry: .core)
/// let task = try await queue.dispatch(
///     "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1),
///     exclusiveResources: ["prn:file.filerepository:…"])
/// ```
///
/// ## Topics
/// - ``TaskRecord``
/// - ``TaskState``
/// - ``ResourceName``
/// - ``Worker``
/// - ``TaskGroup``
public final class TaskQueue: Sendable {
    /// The database holding the tasks.
    public let database: Database
    /// The tasks this process knows.
    public let registry: TaskRegistry
    /// Time limits, directories and intervals.
    public let settings: TaskSettings
    let logger: Logger
    let wakeups: TaskWakeupBell
    /// Ends of immediate tasks recorded in the background (see ``waitForEndsBeingRecorded()``).
    let endsBeingRecorded = EndsBeingRecorded()

    /// Creates a queue on a database whose task tables exist (`tandem migrate`).
    public init(
        database: Database, registry: TaskRegistry, settings: TaskSettings = TaskSettings(),
        logger: Logger = Logger(label: "tandem.tasks")
    ) {
        self.database = database
        self.registry = registry
        self.settings = settings
        self.logger = logger
        self.wakeups = TaskWakeupBell(url: database.url)
    }

    /// Dispatches a task whose arguments are a `Codable` value; see
    /// ``dispatch(_:argumentsJSON:exclusiveResources:sharedResources:immediate:deferred:group:)``.
    @discardableResult
    public func dispatch<Arguments: Encodable>(
        _ name: String, arguments: Arguments, exclusiveResources: [ResourceName] = [],
        sharedResources: [ResourceName] = [], immediate: Bool = false, deferred: Bool = true, group: UUID? = nil
    ) async throws -> TaskRecord {
        try await dispatch(
            name, argumentsJSON: Data(try JSONCoding.encode(arguments).utf8), exclusiveResources: exclusiveResources,
            sharedResources: sharedResources, immediate: immediate, deferred: deferred, group: group)
    }

    /// Stores a task with its reservations and the versions of the plugin that owns it.
    ///
    /// An immediate task runs in this process at once, within ``TaskSettings/immediateTimeLimit``,
    /// when its reservations are free; otherwise it is left for workers if it is also deferred, or
    /// canceled ("resources temporarily unavailable"). A deferred task wakes an idle worker. When
    /// the database is busy or unreachable as an immediate task ends, the call waits as long again
    /// for its end to be recorded, then returns it `running` while this process records the end in
    /// the background. Cancelling the caller does not stop an immediate task that started: it runs
    /// to its end, which is recorded, before the call returns or throws `CancellationError`.
    ///
    /// - Returns: the task as stored after dispatch (after running, for an immediate task that ran).
    /// - Throws: ``TaskDispatchError`` (nothing stored) for an unknown task, arguments its type
    ///   cannot decode, or neither `immediate` nor `deferred`.
    @discardableResult
    public func dispatch(
        _ name: String, argumentsJSON: Data, exclusiveResources: [ResourceName] = [],
        sharedResources: [ResourceName] = [], immediate: Bool = false, deferred: Bool = true, group: UUID? = nil
    ) async throws -> TaskRecord {
        guard immediate || deferred else {
            throw TaskDispatchError(task: name, message: "a task must be immediate, deferred or both")
        }
        guard let definition = registry[name] else {
            throw TaskDispatchError(task: name, message: "no task of this name is registered")
        }
        do {
            try definition.check(argumentsJSON)
        } catch let error as DecodingError {
            throw TaskDispatchError(task: name, message: "invalid arguments: \(Self.describe(error))")
        } catch {
            throw TaskDispatchError(task: name, message: "invalid arguments: \(error)")
        }
        let exclusive = Array(Set(exclusiveResources)).sorted()
        let shared = Array(Set(sharedResources).subtracting(exclusive)).sorted()
        let insert = TaskInsert(
            id: UUID(), name: name, arguments: String(decoding: argumentsJSON, as: UTF8.self),
            versions: try JSONCoding.encode([definition.owner.plugin: definition.owner.version.description]),
            exclusive: try JSONCoding.encode(exclusive), shared: try JSONCoding.encode(shared), immediate: immediate,
            deferred: deferred, group: group)
        let lock = immediate ? try await RunnerLock.acquire(database.url) : nil
        let runner = TaskRunnerIdentity.fresh(
            name: "immediate-\(insert.id.uuidString.lowercased())", lockKey: lock?.key)
        let bell = wakeups
        // The stored task is read in the dispatch's own transaction: one trip to the database thread
        // for a deferred task.
        let (started, stored): (Bool, TaskRecord?)
        do {
            (started, stored) = try await database.transaction { connection in
                try TaskStatements.insert(insert, on: connection)
                if immediate {
                    if try TaskStatements.claim(insert.id, runner: runner, on: connection) {
                        return (true, try TaskStatements.task(insert.id, on: connection))
                    }
                    if !deferred {
                        try TaskStatements.finish(
                            insert.id, state: .canceled, error: "resources temporarily unavailable", on: connection)
                        return (false, try TaskStatements.task(insert.id, on: connection))
                    }
                }
                try bell.ringInTransaction(on: connection)
                return (false, try TaskStatements.task(insert.id, on: connection))
            }
        } catch {
            await lock?.release()
            throw error
        }
        if started, let stored {
            // The runner lives until the task's end is recorded, which may outlast this call when
            // the database is busy or unreachable (see `TaskExecution.Host.dispatcher`).
            let host = TaskExecution.Host.dispatcher(patience: settings.immediateTimeLimit) { await lock?.release() }
            let execution = TaskExecution(queue: self, runner: runner, host: host)
            let limit = settings.immediateTimeLimit
            // Run in a task of its own, which a cancelled caller (a request cut short) does not
            // cancel: the task runs to its end and its end is recorded, whoever stopped waiting.
            await Task { await execution.run(stored, timeLimit: limit) }.value
        } else {
            if deferred { bell.ringAfterCommit() }
            await lock?.release()
        }
        guard let stored, !started else { return try await self.task(insert.id) }
        return stored
    }

    /// Waits until the ends of the immediate tasks this process still records in the background
    /// (the database was busy or unreachable when they ended) are recorded: a process about to
    /// exit calls it, since the recording ends with the process and the others would then mark
    /// such a task failed ("worker has gone missing"). Returns at once when there are none.
    public func waitForEndsBeingRecorded() async {
        await endsBeingRecorded.wait()
    }

    /// ``waitForEndsBeingRecorded()`` for at most `limit`, for a process that must exit even when
    /// the database is gone for good (a server shutting down). Logs how many ends it waits for,
    /// and a warning naming the tasks whose ends were still not recorded at the limit: the
    /// others mark those failed ("worker has gone missing") once this process is gone.
    ///
    /// - Returns: the tasks whose ends were still not recorded; empty when all were.
    @discardableResult
    public func waitForEndsBeingRecorded(upTo limit: Duration) async -> [UUID] {
        let waiting = endsBeingRecorded.tasks
        guard !waiting.isEmpty else { return [] }
        logger.info(
            "waiting for the ends of immediate tasks to be recorded before exiting",
            metadata: ["tasks": "\(waiting.count)", "limit": "\(limit)"])
        let unrecorded = await endsBeingRecorded.wait(upTo: limit)
        if !unrecorded.isEmpty {
            logger.warning(
                "exiting with the ends of immediate tasks not recorded; they will be marked failed",
                metadata: ["tasks": "\(unrecorded.map(\.uuidString).sorted())"])
        }
        return unrecorded
    }

    /// The task with this identifier.
    ///
    /// - Throws: ``TaskNotFound``.
    public func task(_ id: UUID) async throws -> TaskRecord {
        let found = try await database.withConnection { try TaskStatements.task(id, on: $0) }
        guard let found else { throw TaskNotFound(what: "task \(id.uuidString.lowercased())") }
        return found
    }

    /// Tasks, newest first, optionally only those in some states or of one group.
    public func tasks(states: [TaskState] = [], group: UUID? = nil, limit: Int = 100) async throws -> [TaskRecord] {
        try await database.withConnection {
            try TaskStatements.tasks(states: states, group: group, limit: limit, on: $0)
        }
    }

    /// Cancels a task: a waiting one becomes `canceled` at once; a running one `canceling` until
    /// the code running it stops (it is asked to, through Swift task cancellation). A task in a
    /// final state stays as it is.
    ///
    /// - Returns: the task after the request.
    /// - Throws: ``TaskNotFound``.
    @discardableResult
    public func cancel(_ id: UUID) async throws -> TaskRecord {
        _ = try await task(id)
        let bell = wakeups
        try await database.transaction { connection in
            try TaskStatements.cancel(
                where: "pulp_id = \(connection.dialect.placeholder(1))", [.uuid(id)], on: connection)
            try bell.ringInTransaction(on: connection)
        }
        wakeups.ringAfterCommit()
        return try await task(id)
    }

    /// A short text for a decoding error: the field path and what is wrong, never the value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map(\.stringValue).joined(separator: ".")
            return joined.isEmpty ? "the arguments" : "'\(joined)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue) + [key.stringValue]
            return "'\(parent.joined(separator: "."))' is required"
        case .typeMismatch(let type, let context): return "\(path(context)) must be \(RecordingDecoder.jsonType(type))"
        case .valueNotFound(let type, let context): return "\(path(context)) must be \(RecordingDecoder.jsonType(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context)) is invalid"
        @unknown default: return "invalid"
        }
    }
}
