import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

@Suite("Task groups and progress")
struct GroupTests {
    @Test(arguments: TestDatabaseKind.engines)
    func tasksCountTheirGroupsProgressAtomically(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let group = try await TaskGroup.create(description: "twenty steps", on: database)
            try await group.addProgressReport(message: "Steps done", code: "steps", total: 20)
            var tasks: [UUID] = []
            for _ in 0..<20 {
                tasks.append(
                    try await queue.dispatch(
                        "test.group", arguments: Note(text: "steps", milliseconds: nil), group: group.id
                    ).id)
            }
            let waiting = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments(), group: group.id)
            try await queue.cancel(waiting.id)
            try await group.finishDispatching()
            let workers = (0..<3).map { _ in Task { try await Worker(queue: queue).run(burst: true) } }
            for worker in workers { _ = try await worker.value }
            let summary = try await group.summary()
            #expect(summary.description == "twenty steps" && summary.allTasksDispatched)
            #expect(summary.counts[.completed] == 20 && summary.counts[.canceled] == 1 && summary.counts[.waiting] == 0)
            #expect(summary.progressReports.map(\.done) == [20])
            #expect(summary.progressReports.first?.total == 20)
            // Each task's own report.
            let own = try await database.withConnection { connection in
                try connection.query("SELECT done FROM core_progressreport WHERE task_id IS NOT NULL").map {
                    try $0.decode(Int.self, at: 0)
                }
            }
            #expect(own.count == 20 && own.allSatisfy { $0 == 2 })
            await #expect(throws: TaskNotFound.self) { try await group.increment("nope") }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func cancelingAGroupCancelsItsWaitingAndRunningTasks(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let group = try await TaskGroup.create(description: "long", on: database)
            let running = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 60), exclusiveResources: ["r"],
                group: group.id)
            let waiting = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"], group: group.id)
            let outside = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["x"])
            let stop = WorkerStop()
            let worker = Task { try await Worker(queue: queue).run(stop: stop) }
            #expect(try await eventually { try await queue.task(running.id).state == .running })
            try await group.cancel()
            #expect(try await eventually { try await queue.task(running.id).state == .canceled })
            #expect(try await queue.task(waiting.id).state == .canceled)
            // The one worker is free again for the task outside the group.
            #expect(try await eventually { try await queue.task(outside.id).state == .completed })
            stop.request()
            _ = try await worker.value
            let summary = try await group.summary()
            #expect(summary.counts[.canceled] == 2 && summary.counts[.running] == 0)
            await #expect(throws: TaskNotFound.self) {
                try await TaskGroup(id: UUID(), database: database).summary()
            }
        }
    }
}
