import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// Drills with real worker processes (the built `tandem worker`): kills, traps, signals. After
/// each, no task is left `running`, and none `waiting` with free resources.
@Suite("Task drills")
struct TaskDrillTests {
    private func queue(_ database: Database) throws -> TaskQueue {
        TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
    }

    private func runnerPID(_ id: UUID, on database: Database) async throws -> Int32? {
        try await database.withConnection { connection in
            try connection.query(
                "SELECT worker_pid FROM core_task WHERE pulp_id = \(connection.dialect.placeholder(1))", [.uuid(id)]
            ).first.flatMap { try $0.decode(Int?.self, at: 0) }.map(Int32.init)
        }
    }

    private func leftovers(_ queue: TaskQueue) async throws -> Int {
        try await queue.tasks(states: [.running, .waiting, .canceling]).count
    }

    @Test(arguments: TestDatabaseKind.engines)
    func killingTheProcessRunningATaskFailsItAndTheWorkerServesOn(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let queue = try queue(test.database)
        let long = try await queue.dispatch(
            "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60), exclusiveResources: ["r"])
        let next = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        let worker = try WorkerProcessHandle(["worker"], url: test.url)
        #expect(try await eventually(.seconds(30)) { try await queue.task(long.id).state == .running })
        let pid = try #require(try await runnerPID(long.id, on: test.database))
        #expect(pid != worker.pid, "the task runs in the supervised worker process")
        let clock = ContinuousClock()
        let killed = clock.now
        kill(pid, SIGKILL)
        #expect(try await eventually { try await queue.task(long.id).state == .failed })
        let recovery = clock.now - killed
        let failed = try await queue.task(long.id)
        #expect(
            failed.error == "the worker process was killed by signal 9 (SIGKILL)"
                || failed.error == "worker has gone missing")
        #expect(try await eventually(.seconds(30)) { try await queue.task(next.id).state == .completed })
        print("drill \(kind): SIGKILL of the task's process → task failed in \(recovery)")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.output)")
        #expect(try await leftovers(queue) == 0)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aTaskThatTrapsIsMarkedFailedWithTheCause(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        var registry = try testRegistry()
        try registry.register("drill.trap", owner: CoreTasks.owner, arguments: CoreTasks.NoArguments.self) { _, _ in }
        let queue = TaskQueue(database: test.database, registry: registry, settings: testSettings())
        let trap = try await queue.dispatch("drill.trap", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        let after = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        let worker = try WorkerProcessHandle(["worker"], url: test.url, environment: ["TANDEM_DRILL_TASKS": "1"])
        #expect(try await eventually(.seconds(30)) { try await queue.task(after.id).state == .completed })
        let failed = try await queue.task(trap.id)
        #expect(failed.state == .failed)
        #expect(failed.error?.hasPrefix("the worker process was killed by signal") == true, "\(failed.error ?? "")")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.output)")
        #expect(try await leftovers(queue) == 0)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aWorkerKilledOutrightIsNoticedByAnother(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let queue = try queue(test.database)
        let long = try await queue.dispatch(
            "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60), exclusiveResources: ["r"])
        let next = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        let worker = try WorkerProcessHandle(["worker"], url: test.url)
        #expect(try await eventually(.seconds(30)) { try await queue.task(long.id).state == .running })
        let pid = try #require(try await runnerPID(long.id, on: test.database))
        // The supervisor first, so nobody restarts the worker process or records its end.
        worker.send(SIGKILL)
        _ = try await worker.waitForExit()
        let stop = WorkerStop()
        let other = Task { try await Worker(queue: queue).run(stop: stop) }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let killed = clock.now
        kill(pid, SIGKILL)
        #expect(try await eventually { try await queue.task(long.id).state == .failed })
        let noticed = clock.now - killed
        #expect(try await queue.task(long.id).error == "worker has gone missing")
        #expect(try await eventually { try await queue.task(next.id).state == .completed })
        stop.request()
        let report = try await other.value
        #expect(report.reaped == 1)
        print("drill \(kind): worker killed outright → noticed by another worker in \(noticed)")
        if kind == .postgres { #expect(noticed < .seconds(1)) }
        #expect(try await leftovers(queue) == 0)
    }

    /// A task crashes its worker process while another session holds the task's row (SQLite: the
    /// write lock) past the supervisor's lock timeout: the supervisor cannot mark the task failed,
    /// and starts a new worker process anyway, whose check for missing workers fails the task
    /// once the lock goes. The command must not end because the database was busy for a moment.
    @Test(arguments: TestDatabaseKind.engines)
    func aCrashWhileTheDatabaseIsLockedStillRestartsTheWorkerProcess(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let queue = try queue(test.database)
        let long = try await queue.dispatch(
            "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60), exclusiveResources: ["r"])
        let next = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
        // The command's PostgreSQL sessions give up on a lock after 200 ms; SQLite's after its
        // 5 s busy timeout.
        let worker = try WorkerProcessHandle(["worker"], url: test.impatientURL)
        #expect(try await eventually(.seconds(30)) { try await queue.task(long.id).state == .running })
        let pid = try #require(try await runnerPID(long.id, on: test.database))
        let release = ContinuousClock.now + .seconds(kind == .postgres ? 2 : 8)
        let holder = try await holdingTaskRow(long.id, on: test.database) { ContinuousClock.now >= release }
        kill(pid, SIGKILL)
        _ = try await holder.value
        #expect(try await eventually(.seconds(30)) { try await queue.task(long.id).state == .failed })
        #expect(try await queue.task(long.id).error == "worker has gone missing")
        #expect(try await eventually(.seconds(30)) { try await queue.task(next.id).state == .completed })
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.output)")
        #expect(try await leftovers(queue) == 0)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func sigtermLetsTheRunningTaskFinishAndASecondStopsNow(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let queue = try queue(test.database)
        let short = try await queue.dispatch("core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1))
        let worker = try WorkerProcessHandle(["worker"], url: test.url)
        #expect(
            try await eventually(.seconds(30)) { try await queue.task(short.id).state == .running },
            "\(worker.output)")
        worker.send(SIGTERM)
        #expect(try await worker.waitForExit() == 0, "\(worker.output)")
        #expect(try await queue.task(short.id).state == .completed)

        let long = try await queue.dispatch("core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60))
        let second = try WorkerProcessHandle(["worker"], url: test.url)
        #expect(try await eventually(.seconds(30)) { try await queue.task(long.id).state == .running })
        second.send(SIGTERM)
        try await Task.sleep(for: .milliseconds(200))
        second.send(SIGTERM)
        #expect(try await second.waitForExit(.seconds(10)) == 1, "\(second.output)")
        let stopped = try await queue.task(long.id)
        #expect(stopped.state == .failed && stopped.error == "the worker was stopped before the task ended")
        #expect(try await leftovers(queue) == 0)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func burstWorkersRacingRunEachTaskOnce(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let queue = try queue(test.database)
        for _ in 0..<60 { try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments()) }
        let workers = try (0..<2).map { _ in try WorkerProcessHandle(["worker", "--burst"], url: test.url) }
        for worker in workers { #expect(try await worker.waitForExit(.seconds(60)) == 0, "\(worker.output)") }
        let done = try await queue.tasks(states: [.completed], limit: 1000)
        #expect(done.count == 60)
        #expect(Set(done.map(\.id)).count == 60)
        #expect(try await leftovers(queue) == 0)
    }
}
