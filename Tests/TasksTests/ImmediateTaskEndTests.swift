import Foundation
import Synchronization
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

@Suite("Immediate task end")
struct ImmediateTaskEndTests {
    /// An immediate task whose end meets another session's lock (SQLite: the write lock) past the
    /// lock timeout answers its caller within the immediate time limit, the task still `running`,
    /// and its end is recorded once the lock goes. Its runner stays alive meanwhile, so a worker's
    /// missing-runner check leaves it alone, and its reservation is free afterwards. Before, the
    /// caller (an HTTP request) waited for 20 attempts, each as long as the lock timeout, and a
    /// task still unrecorded then stayed `running`, holding its reservation for as long as the
    /// dispatching process lived on SQLite.
    @Test(arguments: TestDatabaseKind.engines)
    func answersItsCallerInTimeAndRecordsTheEndOnceTheLockGoes(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let impatient = try test.openImpatient()
        defer { impatient.close() }
        let queue = TaskQueue(
            database: impatient, registry: try testRegistry(), settings: testSettings(immediateTimeLimit: .seconds(1)))
        let observer = TaskQueue(database: test.database, registry: try testRegistry(), settings: testSettings())
        let dispatch = Task {
            try await queue.dispatch(
                "test.pause", arguments: Note(text: "", milliseconds: 500), exclusiveResources: ["r"], immediate: true,
                deferred: false)
        }
        let id = try await runningTaskID(observer)
        let released = Atomic<Bool>(false)
        let giveUp = ContinuousClock.now + .seconds(60)
        let holder = try await holdingTaskRow(id, on: test.database) {
            released.load(ordering: .sequentiallyConsistent) || ContinuousClock.now >= giveUp
        }
        let heldAt = ContinuousClock.now
        // The task ends while the row is held; its caller is answered after the immediate time
        // limit (a second) and an attempt or two, not once the lock goes.
        let answered = try await dispatch.value
        #expect(
            ContinuousClock.now - heldAt < .seconds(8), "the dispatch answered after \(ContinuousClock.now - heldAt)")
        #expect(answered.id == id && answered.state == .running)
        if kind == .postgres {
            // PostgreSQL only by nature: there the runner's liveness is its advisory lock, which
            // must outlive the answer (on SQLite it is the process id, alive either way). A worker
            // reaps without writing while nothing is missing, so the held row does not stop it.
            let report = try await Worker(queue: observer).run(burst: true)
            #expect(report.reaped == 0)
            #expect(try await observer.task(id).state == .running)
        }
        released.store(true, ordering: .sequentiallyConsistent)
        #expect(try await holder.value == "running")
        #expect(try await eventually(.seconds(30)) { try await observer.task(id).state == .completed })
        let recorded = try await observer.task(id)
        #expect(recorded.error == nil)
        #expect(try await resourceIsFree(queue))
    }

    /// A caller cancelled while its immediate task runs (a request cut short) stops waiting, but the
    /// task runs to its end and the end is recorded, even when the recording must first wait for
    /// a connection of a full pool: a cancelled wait for a connection throws, and a task whose end
    /// is never recorded stays `running`, holding its reservation.
    @Test(arguments: TestDatabaseKind.engines)
    func aCancelledCallerStillGetsItsTaskRunAndRecorded(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let single = try Database(url: DatabaseURL(test.url), maximumConnections: 1)
        defer { single.close() }
        let queue = TaskQueue(database: single, registry: try testRegistry(), settings: testSettings())
        let observer = TaskQueue(database: test.database, registry: try testRegistry(), settings: testSettings())
        let dispatch = Task {
            try await queue.dispatch(
                "test.pause", arguments: Note(text: "", milliseconds: 500), exclusiveResources: ["r"], immediate: true,
                deferred: false)
        }
        let id = try await runningTaskID(observer)
        // The pool's one connection stays busy past the task's end, so recording the end waits.
        let busy = Task { try await single.withConnection { _ in Thread.sleep(forTimeInterval: 1.5) } }
        try await Task.sleep(for: .milliseconds(100))
        dispatch.cancel()
        _ = await dispatch.result
        try await busy.value
        #expect(try await eventually(.seconds(30)) { try await observer.task(id).state == .completed })
        #expect(try await resourceIsFree(queue))
    }

    /// `tandem task dispatch --immediate` whose task ends while another session holds the task's
    /// row past the command's lock timeout (PostgreSQL 200 ms; SQLite its 5 s busy timeout) and its
    /// 2 s immediate time limit does not exit with the task `running`, which would leave it to be
    /// marked failed once the process is gone: it waits until the end is recorded and prints it.
    @Test(arguments: TestDatabaseKind.engines)
    func theDispatchCommandWaitsUntilTheEndIsRecorded(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let observer = TaskQueue(database: test.database, registry: try testRegistry(), settings: testSettings())
        let command = try WorkerProcessHandle(
            ["task", "dispatch", "core.sleep", "--args", #"{"seconds": 0.5}"#, "--immediate"],
            url: test.impatientURL, environment: ["TANDEM_IMMEDIATE_TASK_TIME_LIMIT": "2"])
        let id = try await runningTaskID(observer, "\(command.output)")
        // Held well past the task's end plus the 2 s the command waits before it records the end
        // in the background (on SQLite, plus one 5 s attempt).
        let release = ContinuousClock.now + .seconds(kind == .postgres ? 5 : 10)
        let holder = try await holdingTaskRow(id, on: test.database) { ContinuousClock.now >= release }
        #expect(try await holder.value == "running")
        #expect(try await command.waitForExit(.seconds(60)) == 0, "\(command.output)")
        #expect(command.output.contains("\(id.uuidString.lowercased()) completed"), "\(command.output)")
        #expect(try await observer.task(id).state == .completed)
    }

    /// A process about to exit (a server shutting down) waits for an end still being recorded at
    /// most as long as it is told: it gives up at the limit naming the task, while the row is held,
    /// and returns nothing once the end is recorded.
    @Test(arguments: TestDatabaseKind.engines)
    func aBoundedWaitForEndsNamesWhatItCouldNotRecord(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let impatient = try test.openImpatient()
        defer { impatient.close() }
        let queue = TaskQueue(
            database: impatient, registry: try testRegistry(), settings: testSettings(immediateTimeLimit: .seconds(1)))
        let observer = TaskQueue(database: test.database, registry: try testRegistry(), settings: testSettings())
        #expect(await queue.waitForEndsBeingRecorded(upTo: .seconds(5)).isEmpty)
        let dispatch = Task {
            try await queue.dispatch(
                "test.pause", arguments: Note(text: "", milliseconds: 500), exclusiveResources: ["r"], immediate: true,
                deferred: false)
        }
        let id = try await runningTaskID(observer)
        let released = Atomic<Bool>(false)
        let giveUp = ContinuousClock.now + .seconds(60)
        let holder = try await holdingTaskRow(id, on: test.database) {
            released.load(ordering: .sequentiallyConsistent) || ContinuousClock.now >= giveUp
        }
        #expect(try await dispatch.value.state == .running)
        let waitStarted = ContinuousClock.now
        let unrecorded = await queue.waitForEndsBeingRecorded(upTo: .milliseconds(500))
        let waited = ContinuousClock.now - waitStarted
        #expect(unrecorded == [id])
        #expect(waited >= .milliseconds(500) && waited < .seconds(3), "waited \(waited)")
        released.store(true, ordering: .sequentiallyConsistent)
        #expect(try await holder.value == "running")
        #expect(await queue.waitForEndsBeingRecorded(upTo: .seconds(30)).isEmpty)
        #expect(try await observer.task(id).state == .completed)
    }

    /// The id of the one running task, once there is one.
    private func runningTaskID(_ queue: TaskQueue, _ context: String = "") async throws -> UUID {
        var running: [TaskRecord] = []
        #expect(
            try await eventually(.seconds(30)) {
                running = try await queue.tasks(states: [.running])
                return !running.isEmpty
            }, "\(context)")
        return try #require(running.first).id
    }

    /// Whether resource `r` is free: an immediate task reserving it runs at once.
    private func resourceIsFree(_ queue: TaskQueue) async throws -> Bool {
        let next = try await queue.dispatch(
            "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"], immediate: true,
            deferred: false)
        return next.state == .completed
    }
}
