import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// An idle worker starts a deferred task at once, woken by the dispatch (PostgreSQL
/// LISTEN/NOTIFY, SQLite local sockets), not by its next look: here it would look only every
/// 5 seconds. The same holds when the task was waiting for a resource that another worker's task
/// held: the end of that task wakes it.
@Suite("Task wake-up")
struct TaskWakeupTests {
    @Test(arguments: TestDatabaseKind.engines)
    func dispatchWakesAnIdleWorkerAtOnce(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(
                database: database, registry: try testRegistry(),
                settings: testSettings(idleCheckInterval: .seconds(5)))
            let stop = WorkerStop()
            let worker = Task { try await Worker(queue: queue).run(stop: stop) }
            // Let the worker register and go idle.
            try await Task.sleep(for: .milliseconds(500))
            var latencies: [Duration] = []
            for _ in 0..<5 {
                let task = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments())
                let clock = ContinuousClock()
                let dispatched = clock.now
                #expect(try await eventually(.seconds(4)) { try await queue.task(task.id).state == .completed })
                latencies.append(clock.now - dispatched)
                try await Task.sleep(for: .milliseconds(100))
            }
            stop.request()
            _ = try await worker.value
            print("wake-up \(kind): dispatch to completed \(latencies)")
            #expect(latencies.allSatisfy { $0 < .seconds(1) }, "\(latencies)")
        }
    }

    /// The worker that frees the resource stops after its task, so only the other worker can
    /// start the waiting one; that worker has a database pool of its own, as another process would.
    @Test(arguments: TestDatabaseKind.engines)
    func freeingAResourceWakesAnotherIdleWorkerAtOnce(_ kind: TestDatabaseKind) async throws {
        try await withTaskDatabase(kind) { database in
            let settings = testSettings(idleCheckInterval: .seconds(5))
            let holderQueue = TaskQueue(database: database, registry: try testRegistry(), settings: settings)
            let otherPool = try Database(url: database.url)
            defer { otherPool.close() }
            let waiterQueue = TaskQueue(database: otherPool, registry: try testRegistry(), settings: settings)

            let holding = try await holderQueue.dispatch(
                "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1), exclusiveResources: ["shared"])
            let holderStop = WorkerStop()
            let holder = Task { try await Worker(queue: holderQueue).run(stop: holderStop) }
            #expect(try await eventually(.seconds(10)) { try await holderQueue.task(holding.id).state == .running })
            holderStop.request()

            let waiterStop = WorkerStop()
            let waiter = Task { try await Worker(queue: waiterQueue).run(stop: waiterStop) }
            try await Task.sleep(for: .milliseconds(200))
            // Its dispatch wakes the idle worker, which finds the resource taken and waits again.
            let waiting = try await holderQueue.dispatch(
                "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["shared"])

            #expect(try await eventually(.seconds(10)) { try await holderQueue.task(holding.id).state == .completed })
            #expect(try await eventually(.seconds(4)) { try await holderQueue.task(waiting.id).state == .completed })
            let freed = try #require(try await holderQueue.task(holding.id).finishedAt)
            let started = try #require(try await holderQueue.task(waiting.id).startedAt)
            let startedAfter = started.timeIntervalSince(freed)
            print("wake-up \(kind): resource freed to waiting task started in \(startedAfter) s")
            #expect(startedAfter < 1, "the waiting task started \(startedAfter) s after the resource was freed")
            waiterStop.request()
            _ = try await holder.value
            _ = try await waiter.value
        }
    }
}
