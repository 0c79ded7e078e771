import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// An idle worker starts a deferred task at once, woken by the dispatch (PostgreSQL
/// LISTEN/NOTIFY, SQLite local sockets), not by its next look: here it would look only every
/// 5 seconds.
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
}
