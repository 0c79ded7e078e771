import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

@Suite("Dispatch")
struct DispatchTests {
    @Test(arguments: TestDatabaseKind.engines)
    func storesTheTaskWithItsOwnersVersionAndReservations(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let remote = UUID()
            let task = try await queue.dispatch(
                "test.pause", arguments: Note(text: "x", milliseconds: 5),
                exclusiveResources: ["repo-1", "repo-1", .model(app: "File", model: "FileRemote", id: remote)],
                sharedResources: ["repo-1", "shared-a"])
            #expect(task.state == .waiting)
            #expect(task.versions == ["test": "1.2.0"])
            #expect(
                task.exclusiveResources.map(\.value) == [
                    "prn:file.fileremote:\(remote.uuidString.lowercased())", "repo-1",
                ])
            // A resource held exclusively is not also held shared.
            #expect(task.sharedResources == ["shared-a"])
            #expect(task.deferred && !task.immediate)
            let listed = try await queue.tasks(states: [.waiting])
            #expect(listed.map(\.id) == [task.id])
            #expect(try await queue.tasks(states: [.running]).isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func refusesBadDispatchesAndStoresNothing(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let unknown = await #expect(throws: TaskDispatchError.self) {
                try await queue.dispatch("test.nothing", argumentsJSON: Data("{}".utf8))
            }
            #expect(unknown?.description == "task 'test.nothing': no task of this name is registered")
            let missing = await #expect(throws: TaskDispatchError.self) {
                try await queue.dispatch("core.sleep", argumentsJSON: Data("{}".utf8))
            }
            #expect(missing?.description == "task 'core.sleep': invalid arguments: 'seconds' is required")
            let wrongType = await #expect(throws: TaskDispatchError.self) {
                try await queue.dispatch("core.sleep", argumentsJSON: Data(#"{"seconds": "secret-value"}"#.utf8))
            }
            #expect(wrongType?.description == "task 'core.sleep': invalid arguments: 'seconds' must be number")
            #expect(wrongType?.description.contains("secret-value") == false)
            let notJSON = await #expect(throws: TaskDispatchError.self) {
                try await queue.dispatch("core.noop", argumentsJSON: Data("{".utf8))
            }
            #expect(notJSON?.description == "task 'core.noop': invalid arguments: not valid JSON")
            let neither = await #expect(throws: TaskDispatchError.self) {
                try await queue.dispatch(
                    "core.noop", arguments: CoreTasks.NoArguments(), immediate: false, deferred: false)
            }
            #expect(neither?.description == "task 'core.noop': a task must be immediate, deferred or both")
            #expect(try await queue.tasks().isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func immediateTaskRunsInTheDispatchingProcess(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let task = try await queue.dispatch(
                "test.pause", arguments: Note(text: "x", milliseconds: 10), exclusiveResources: ["r"], immediate: true,
                deferred: false)
            #expect(task.state == .completed)
            #expect(task.worker?.hasPrefix("immediate-") == true)
            let started = try #require(task.startedAt)
            let finished = try #require(task.finishedAt)
            #expect(finished >= started)
            let failing = try await queue.dispatch(
                "test.fail", arguments: Note(text: "boom", milliseconds: nil), immediate: true)
            #expect(failing.state == .failed)
            #expect(failing.error == "task 'test.fail': boom")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func immediateTaskWithBusyResourcesIsLeftForWorkersOrCanceled(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            // An earlier waiting task awaits "r" exclusively: first come, first served.
            let earlier = try await queue.dispatch(
                "test.pause", arguments: Note(text: "x", milliseconds: 1), exclusiveResources: ["r"])
            let refused = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), sharedResources: ["r"], immediate: true,
                deferred: false)
            #expect(refused.state == .canceled)
            #expect(refused.error == "resources temporarily unavailable")
            #expect(refused.startedAt == nil)
            let left = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"], immediate: true,
                deferred: true)
            #expect(left.state == .waiting)
            // Unrelated resources are free: it runs at once.
            let free = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["other"], immediate: true,
                deferred: false)
            #expect(free.state == .completed)
            #expect(try await queue.task(earlier.id).state == .waiting)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func immediateTaskPastItsTimeLimitFails(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(
                database: database, registry: try testRegistry(),
                settings: testSettings(immediateTimeLimit: .milliseconds(200)))
            let clock = ContinuousClock()
            let start = clock.now
            let task = try await queue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 30), exclusiveResources: ["r"],
                immediate: true, deferred: false)
            #expect(clock.now - start < .seconds(5))
            #expect(task.state == .failed)
            #expect(task.error?.contains("time limit") == true)
            // Its reservation is free again.
            let next = try await queue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"], immediate: true,
                deferred: false)
            #expect(next.state == .completed)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func cancelWaitingTaskEndsItOnce(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            let task = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments())
            let canceled = try await queue.cancel(task.id)
            #expect(canceled.state == .canceled)
            let finished = try #require(canceled.finishedAt)
            // Canceling again changes nothing: one final state.
            let again = try await queue.cancel(task.id)
            #expect(again.state == .canceled && again.finishedAt == finished)
            let report = try await Worker(queue: queue).run(burst: true)
            #expect(report.finished.isEmpty)
            await #expect(throws: TaskNotFound.self) { try await queue.cancel(UUID()) }
        }
    }
}
