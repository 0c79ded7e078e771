import Foundation
import Synchronization
import TandemDatabase
import TandemMigrations
import TandemTasks
import TandemTesting
import Testing

@Suite("Worker")
struct WorkerTests {
    @Test(arguments: TestDatabaseKind.engines)
    func burstDrainsRunnableTasksAndRecordsOutcomes(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            for _ in 0..<5 { try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments()) }
            let failing = try await queue.dispatch("test.fail", arguments: Note(text: "broken", milliseconds: nil))
            let report = try await Worker(queue: queue).run(burst: true)
            #expect(report.finished == [.completed: 5, .failed: 1])
            let failed = try await queue.task(failing.id)
            #expect(failed.state == .failed && failed.error == "task 'test.fail': broken")
            #expect(try await queue.tasks(states: [.waiting, .running]).isEmpty)
            let components = try await database.withConnection { try ComponentRegistry.components(on: $0) }
            #expect(components.isEmpty, "a clean stop removes the worker's row")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func eachTaskGetsACleanWorkingDirectoryRemovedWhateverTheOutcome(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let settings = testSettings()
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: settings)
            let markers = FileManager.default.temporaryDirectory.appendingPathComponent("markers-\(UUID())")
            try FileManager.default.createDirectory(at: markers, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: markers) }
            for (index, outcome) in [0, -1].enumerated() {
                try await queue.dispatch(
                    "test.directory",
                    arguments: Note(text: markers.appendingPathComponent("\(index)").path, milliseconds: outcome))
            }
            let report = try await Worker(queue: queue).run(burst: true)
            #expect(report.finished == [.completed: 1, .failed: 1])
            var seen: Set<String> = []
            for index in 0..<2 {
                let lines = try String(contentsOf: markers.appendingPathComponent("\(index)"), encoding: .utf8)
                    .split(separator: "\n").map(String.init)
                #expect(lines[1] == "0", "the directory is empty when the task starts")
                #expect(lines[0].hasPrefix(settings.workingDirectory.path))
                #expect(!FileManager.default.fileExists(atPath: lines[0]), "removed afterwards")
                seen.insert(lines[0])
            }
            #expect(seen.count == 2)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func cancelRunningTaskStopsItAndFreesItsReservations(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let long = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60), exclusiveResources: ["r"])
            let next = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), sharedResources: ["r"])
            let stop = WorkerStop()
            let worker = Task { try await Worker(queue: queue).run(stop: stop) }
            #expect(try await eventually { try await queue.task(long.id).state == .running })
            #expect(try await queue.task(next.id).state == .waiting)
            let asked = try await queue.cancel(long.id)
            #expect(asked.state == .canceling || asked.state == .canceled)
            #expect(try await eventually { try await queue.task(next.id).state == .completed })
            let canceled = try await queue.task(long.id)
            #expect(canceled.state == .canceled)
            stop.request()
            let report = try await worker.value
            #expect(report.finished == [.canceled: 1, .completed: 1])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func tasksFromNewerReleasesWaitForAnUpgradedWorker(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let settings = testSettings()
            let newer = TaskQueue(
                database: database,
                registry: try testRegistry(owner: TaskOwner(plugin: "test", version: SemanticVersion(1, 3, 0))),
                settings: settings)
            let older = TaskQueue(database: database, registry: try testRegistry(), settings: settings)
            let fromNewer = try await newer.dispatch(
                "test.pause", arguments: Note(text: "", milliseconds: 1), exclusiveResources: ["r"])
            #expect(fromNewer.versions == ["test": "1.3.0"])
            let fromOlder = try await older.dispatch("test.pause", arguments: Note(text: "", milliseconds: 1))
            let oldReport = try await Worker(queue: older).run(burst: true)
            #expect(oldReport.finished == [.completed: 1])
            #expect(try await older.task(fromNewer.id).state == .waiting)
            #expect(try await older.task(fromOlder.id).state == .completed)
            // A later task on the same resource queues behind the skipped one.
            let behind = try await older.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), sharedResources: ["r"])
            #expect(try await Worker(queue: older).run(burst: true).finished.isEmpty)
            #expect(try await older.task(behind.id).state == .waiting)
            let newReport = try await Worker(queue: newer).run(burst: true)
            #expect(newReport.finished == [.completed: 2])
            #expect(try await newer.task(fromNewer.id).state == .completed)
        }
    }

    @Test
    func canRunComparesEveryRecordedPluginVersion() throws {
        let registry = try testRegistry()
        #expect(Worker.canRun(["test": "1.2.0"], registry: registry))
        #expect(Worker.canRun(["test": "1.1.9", "core": "0.0.1"], registry: registry))
        #expect(!Worker.canRun(["test": "1.2.1"], registry: registry))
        #expect(!Worker.canRun(["other": "0.1.0"], registry: registry))
        #expect(!Worker.canRun(["test": "not a version"], registry: registry))
    }

    @Test(arguments: TestDatabaseKind.engines)
    func tasksOfARunnerThatIsGoneAreFailedAndTheirReservationsFreed(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let orphan = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
            let next = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
            // A process that claimed the task and died: its pid is gone, and on PostgreSQL no
            // session holds its advisory lock.
            let dead = Process()
            dead.executableURL = URL(fileURLWithPath: "/bin/true")
            try dead.run()
            dead.waitUntilExit()
            try await database.withConnection { connection in
                let p = connection.dialect.placeholder
                try connection.execute(
                    """
                    UPDATE core_task SET state = 'running', worker = 'gone', worker_host = \(p(1)), worker_pid = \(p(2)),
                        worker_lock = \(p(3)) WHERE pulp_id = \(p(4))
                    """,
                    [
                        .text(ProcessInfo.processInfo.hostName), .integer(Int64(dead.processIdentifier)),
                        connection.dialect == .postgres ? .integer(12345) : .null, .uuid(orphan.id),
                    ])
            }
            let report = try await Worker(queue: queue).run(burst: true)
            #expect(report.reaped == 1)
            let failed = try await queue.task(orphan.id)
            #expect(failed.state == .failed && failed.error == "worker has gone missing")
            #expect(try await queue.task(next.id).state == .completed)
        }
    }

    /// A task that ends while another session holds its row (SQLite: the write lock) past the
    /// worker's lock timeout still gets its end recorded once the lock goes: left `running`, it
    /// would hold its reservations for as long as its worker lives.
    @Test(arguments: TestDatabaseKind.engines)
    func aTaskEndIsRecordedAfterAnotherSessionHeldTheLockPastTheTimeout(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let impatient = try test.openImpatient()
        defer { impatient.close() }
        let queue = TaskQueue(database: impatient, registry: try testRegistry(), settings: testSettings())
        let stop = WorkerStop()
        let worker = Task { try await Worker(queue: queue).run(stop: stop) }
        let held = try await queue.dispatch(
            "test.pause", arguments: Note(text: "", milliseconds: 300), exclusiveResources: ["r"])
        let next = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        #expect(try await eventually(.seconds(30)) { try await queue.task(held.id).state == .running })
        // Well past the task's end and several of the worker's attempts to record it.
        let release = ContinuousClock.now + .seconds(2)
        let holder = try await holdingTaskRow(held.id, on: test.database) { ContinuousClock.now >= release }
        #expect(try await holder.value == "running")
        #expect(try await eventually(.seconds(30)) { try await queue.task(next.id).state == .completed })
        #expect(try await queue.task(held.id).state == .completed)
        stop.request()
        #expect(try await worker.value.finished[.completed] == 2)
    }

    /// A worker waiting out a lock to record a task's end stops when told to stop now (a second
    /// signal; lost heartbeats, which is how a database gone for good ends it), and leaves the
    /// task `running` for the missing-worker check.
    @Test(arguments: TestDatabaseKind.engines)
    func aWorkerToldToStopNowGivesUpATaskEndItCannotRecord(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let impatient = try test.openImpatient()
        defer { impatient.close() }
        let queue = TaskQueue(database: impatient, registry: try testRegistry(), settings: testSettings())
        let stop = WorkerStop()
        let worker = Task { try await Worker(queue: queue).run(stop: stop) }
        let held = try await queue.dispatch(
            "test.pause", arguments: Note(text: "", milliseconds: 300), exclusiveResources: ["r"])
        #expect(try await eventually(.seconds(30)) { try await queue.task(held.id).state == .running })
        let workerReturned = Atomic<Bool>(false)
        let giveUp = ContinuousClock.now + .seconds(60)
        let holder = try await holdingTaskRow(held.id, on: test.database) {
            workerReturned.load(ordering: .sequentiallyConsistent) || ContinuousClock.now >= giveUp
        }
        // The task ends meanwhile, and its worker tries to record that.
        try await Task.sleep(for: .seconds(1))
        stop.requestImmediate()
        _ = await worker.result
        let returnedWhileHeld = ContinuousClock.now < giveUp
        workerReturned.store(true, ordering: .sequentiallyConsistent)
        #expect(try await holder.value == "running")
        #expect(returnedWhileHeld, "the worker waited for the lock after a stop now")
        #expect(try await queue.task(held.id).state == .running)
    }
}
