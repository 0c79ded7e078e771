import Foundation
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemProcessTestSupport
import TandemTasks
import TandemTesting
import Testing

/// A ``Worker`` registers through ``ProcessRegistration``: its row has kind `worker` and the
/// versions it was given, and two failed heartbeats stop it at once. Timing-sensitive (a 1.5 s
/// TTL): in scripts/test's timing list.
@Suite("Worker registration")
struct WorkerRegistrationTests {
    @Test(arguments: TestDatabaseKind.engines)
    func aWorkerReportsItsVersionsWhileItRuns(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(
                database: database, registry: try testRegistry(),
                settings: testSettings(workerTTL: .milliseconds(1500)))
            let stop = WorkerStop()
            let worker = Worker(
                queue: queue, versions: ["core": SemanticVersion(9, 1, 0), "test": SemanticVersion(1, 2, 0)])
            let run = Task { try await worker.run(stop: stop) }
            defer { run.cancel() }
            let rows = try await ComponentRows.wait(database, for: "the worker's row") { $0.count == 1 }
            #expect(rows[0].kind == "worker")
            #expect(rows[0].versions == ["core": "9.1.0", "test": "1.2.0"])
            #expect(rows[0].pid == Int(ProcessInfo.processInfo.processIdentifier))
            let first = rows[0].lastHeartbeat
            try await ComponentRows.wait(database, for: "a heartbeat") { ($0.first?.lastHeartbeat ?? first) > first }
            stop.request()
            _ = try await run.value
            #expect(try await ComponentRows.all(database).isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func twoFailedHeartbeatsStopTheWorkerAndFailItsTask(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(
                database: database, registry: try testRegistry(),
                settings: testSettings(workerTTL: .milliseconds(1500)))
            let long = try await queue.dispatch("core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60))
            let run = Task { try await Worker(queue: queue).run() }
            defer { run.cancel() }
            #expect(try await eventually { try await queue.task(long.id).state == .running })
            // A heartbeat first: registering again at the start of its run creates the table.
            let rows = try await ComponentRows.wait(database, for: "the worker's row") { $0.count == 1 }
            let first = rows[0].lastHeartbeat
            try await ComponentRows.wait(database, for: "a heartbeat") { ($0.first?.lastHeartbeat ?? first) > first }
            try await database.withConnection {
                _ = try $0.execute("DROP TABLE \(quoteIdentifier(ComponentRegistry.tableName))")
            }
            let clock = ContinuousClock()
            let dropped = clock.now
            await #expect(throws: ProcessRegistrationError.self) { try await run.value }
            // Two intervals of 0.5 s, and the task's stop.
            #expect(clock.now - dropped < .seconds(10))
            let task = try await queue.task(long.id)
            #expect(task.state == .failed && task.error == "the worker was stopped before the task ended")
            #expect(try await queue.tasks(states: [.waiting, .running]).isEmpty)
        }
    }
}
