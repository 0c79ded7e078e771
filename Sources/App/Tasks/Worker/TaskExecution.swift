import Foundation
import Synchronization
import TandemDatabase

/// Runs one claimed task in this process: a clean working directory (removed afterwards,
/// whatever the outcome), the task's code, a watch for cancel requests, a time limit and stop
/// requests, and the final state recorded once.
struct TaskExecution: Sendable {
    /// Who runs the task, which decides how long recording its end is tried (see ``record``).
    enum Host: Sendable {
        /// A worker, which tries until it is told to stop now.
        case worker(WorkerStop)
        /// The process that dispatched the task, whose caller waits: it tries for `patience`, then
        /// answers its caller and goes on trying in the background. `release` ends the runner (its
        /// PostgreSQL lock) once the end is recorded, or cannot be.
        case dispatcher(patience: Duration, release: @Sendable () async -> Void)
    }

    let queue: TaskQueue
    let runner: TaskRunnerIdentity
    let host: Host

    init(queue: TaskQueue, runner: TaskRunnerIdentity, host: Host) {
        self.queue = queue
        self.runner = runner
        self.host = host
    }

    /// How the run ended.
    private enum Outcome: Sendable {
        case returned
        case threw(String, cancellation: Bool)
        case cancelRequested
        case timedOut(Duration)
        case stoppedNow
    }

    /// Runs `task` and records its final state; returns that state.
    @discardableResult
    func run(_ task: TaskRecord, timeLimit: Duration?) async -> TaskState {
        guard let definition = queue.registry[task.name] else {
            return await record(task, .failed, "no task named '\(task.name)' is registered in this process")
        }
        let directory = queue.settings.workingDirectory
            .appendingPathComponent(runner.name, isDirectory: true)
            .appendingPathComponent(task.id.uuidString.lowercased(), isDirectory: true)
        do {
            try await BlockingIO.run {
                try? FileManager.default.removeItem(at: directory)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        } catch {
            return await record(task, .failed, "cannot make the working directory: \(error.localizedDescription)")
        }
        let context = TaskContext(
            taskID: task.id, name: task.name, workingDirectory: directory, database: queue.database)
        let group = task.groupID.map { TaskGroup(id: $0, database: queue.database) }
        let arguments = Data(task.arguments.utf8)
        let body = Task {
            try await TaskGroup.$current.withValue(group) {
                try await TaskContext.$current.withValue(context) { try await definition.run(arguments, context) }
            }
        }
        let (state, error) = await finalState(of: body, task: task.id, timeLimit: timeLimit)
        // The directory goes before the task is recorded as ended, whatever the outcome.
        try? await BlockingIO.run { try FileManager.default.removeItem(at: directory) }
        return await record(task, state, error)
    }

    /// Runs the body to its end (or until it is stopped) and says which final state it earned.
    private func finalState(of body: Task<Void, any Error>, task id: UUID, timeLimit: Duration?) async
        -> (TaskState, String?)
    {
        switch await race(body, task: id, timeLimit: timeLimit) {
        case .returned:
            return (.completed, nil)
        case .threw(let message, _):
            return (.failed, message)
        case .cancelRequested:
            body.cancel()
            await wait(for: body, atMost: .seconds(2))
            return (.canceled, "canceled")
        case .timedOut(let limit):
            body.cancel()
            await wait(for: body, atMost: .seconds(2))
            return (.failed, "the task ran past its time limit of \(limit)")
        case .stoppedNow:
            body.cancel()
            return (.failed, "the worker was stopped before the task ended")
        }
    }

    /// Waits for the first of: the body ending, a cancel request, the time limit, a stop-now.
    private func race(_ body: Task<Void, any Error>, task id: UUID, timeLimit: Duration?) async -> Outcome {
        let queue = self.queue
        let stop: WorkerStop?
        if case .worker(let workerStop) = host { stop = workerStop } else { stop = nil }
        return await withCheckedContinuation { continuation in
            let first = FirstResume(continuation)
            let resume: @Sendable (Outcome) -> Void = { first.resume($0) }
            Task {
                do {
                    try await body.value
                    resume(.returned)
                } catch {
                    resume(.threw("\(error)", cancellation: error is CancellationError))
                }
            }
            Task {
                let clock = ContinuousClock()
                let deadline = timeLimit.map { clock.now + $0 }
                let interval = min(queue.settings.idleCheckInterval, .milliseconds(250))
                while !first.isDone {
                    // Sleep first: most tasks end before the first look, which then costs nothing.
                    try? await Task.sleep(for: deadline.map { min(interval, max($0 - clock.now, .zero)) } ?? interval)
                    if first.isDone { return }
                    if let stop, await stop.isImmediate { return resume(.stoppedNow) }
                    if let deadline, clock.now >= deadline, let timeLimit { return resume(.timedOut(timeLimit)) }
                    let state = try? await queue.database.withConnection { try TaskStatements.state(id, on: $0) }
                    if state == .canceling || state == .canceled { return resume(.cancelRequested) }
                }
            }
        }
    }

    private func wait(for body: Task<Void, any Error>, atMost limit: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = FirstResume(continuation)
            let resume: @Sendable () -> Void = { first.resume(()) }
            Task {
                _ = await body.result
                resume()
            }
            Task {
                try? await Task.sleep(for: limit)
                resume()
            }
        }
    }

    /// Records the final state (a task that was asked to cancel ends `canceled`, whatever its
    /// code did) and rings the bell when the task held reservations, since they are free now.
    ///
    /// A database that restarts under the runner, or another session holding the lock past the
    /// busy or lock timeout, is waited out: a task left `running` under a live runner would hold
    /// its reservations for as long as that runner lives (on SQLite, the dispatching process).
    /// A worker tries until it is told to stop now (a second signal, or lost heartbeats, which is
    /// how a database gone for good ends it). A dispatching process tries for its patience, then
    /// answers its caller with the state the task earned and goes on in the background, keeping
    /// its runner alive until the end is recorded.
    private func record(_ task: TaskRecord, _ state: TaskState, _ error: String?) async -> TaskState {
        switch host {
        case .worker(let stop):
            switch await recordEnd(task, state, error, while: { await !stop.isImmediate }) {
            case .recorded(let final, let attempts):
                if attempts > 1 { logRecorded(task, attempts: attempts) }
                return final
            case .unrecordable:
                return state
            case .stillBlocked:
                // Left `running` under this worker's name: once the worker is gone the others
                // mark it failed ("worker has gone missing").
                queue.logger.error("stopped before a task's end could be recorded", metadata: ["task": "\(task.id)"])
                return state
            }
        case .dispatcher(let patience, let release):
            let deadline = ContinuousClock.now + patience
            switch await recordEnd(task, state, error, while: { ContinuousClock.now < deadline }) {
            case .recorded(let final, let attempts):
                if attempts > 1 { logRecorded(task, attempts: attempts) }
                await release()
                return final
            case .unrecordable:
                await release()
                return state
            case .stillBlocked(let attempts):
                queue.logger.warning(
                    "answering before a task's end is recorded; still trying in the background",
                    metadata: ["task": "\(task.id)"])
                queue.endsBeingRecorded.start(task.id) {
                    if case .recorded(_, let attempts) = await recordEnd(
                        task, state, error, after: attempts, while: { true })
                    {
                        logRecorded(task, attempts: attempts)
                    }
                    await release()
                }
                return state
            }
        }
    }

    private func logRecorded(_ task: TaskRecord, attempts: Int) {
        queue.logger.info("recorded a task's end", metadata: ["task": "\(task.id)", "attempts": "\(attempts)"])
    }

    /// How an attempt to record a task's end came out.
    private enum EndRecording {
        /// Recorded, with the state stored, at the attempt given.
        case recorded(TaskState, attempts: Int)
        /// The database refused it for good (logged); the task stays `running` under its runner.
        case unrecordable
        /// The database was still busy or unreachable after this many attempts, when `keepTrying`
        /// said to stop.
        case stillBlocked(attempts: Int)
    }

    /// Records the end, trying again every half second after errors worth retrying while
    /// `keepTrying` says so; `earlierAttempts` were made before (and warned of).
    private func recordEnd(
        _ task: TaskRecord, _ state: TaskState, _ error: String?, after earlierAttempts: Int = 0,
        while keepTrying: () async -> Bool
    ) async -> EndRecording {
        let id = task.id
        let bell = queue.wakeups
        // A task without reservations blocks nobody, and ringing costs: PostgreSQL serialises
        // the commits of notifying transactions, and SQLite's bell writes to every worker's socket.
        let freesReservations = !task.exclusiveResources.isEmpty || !task.sharedResources.isEmpty
        var attempt = earlierAttempts + 1
        while true {
            do {
                let final = try await queue.database.transaction { connection -> TaskState in
                    let current = try TaskStatements.state(id, on: connection)
                    let final: TaskState = current == .canceling ? .canceled : state
                    let message = current == .canceling ? "canceled" : error
                    guard try TaskStatements.finish(id, state: final, error: message, on: connection) else {
                        return current ?? final
                    }
                    if freesReservations { try bell.ringInTransaction(on: connection) }
                    return final
                }
                if freesReservations { bell.ringAfterCommit() }
                return .recorded(final, attempts: attempt)
            } catch {
                // Database errors name the statement, never its values.
                guard let failure = error as? DatabaseError, failure.isWorthRetrying else {
                    // The task stays `running` under this runner's name; once the runner is gone
                    // the others mark it failed ("worker has gone missing").
                    queue.logger.error(
                        "cannot record a task's end", metadata: ["task": "\(id)", "error": "\(error)"])
                    return .unrecordable
                }
                guard await keepTrying() else { return .stillBlocked(attempts: attempt) }
                if attempt == 1 {
                    queue.logger.warning(
                        "cannot record a task's end yet; trying again",
                        metadata: ["task": "\(id)", "error": "\(error)"])
                }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}

/// Resumes a continuation with the first of several racing results and ignores the rest.
final class FirstResume<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Whether a result has been delivered.
    var isDone: Bool { continuation.withLock { $0 == nil } }

    func resume(_ value: T) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
