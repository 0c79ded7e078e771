import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// Thousands of random tasks over a few resources, run by four workers while more are
/// dispatched; then every pair of tasks that conflict on a resource (one of them exclusive) is
/// checked from the recorded start and end times: the later-dispatched one started only after
/// the earlier one ended. That is both "never two running tasks hold one resource exclusively"
/// and first come, first served per resource (an exclusive waiter blocks later shared tasks).
@Suite("Reservation audit")
struct ReservationAuditTests {
    struct Dispatched: Sendable {
        let exclusive: [ResourceName]
        let shared: [ResourceName]
    }

    @Test(arguments: TestDatabaseKind.engines)
    func conflictingTasksNeverOverlapAndStartInDispatchOrder(_ kind: TestDatabaseKind) async throws {
        let count = 2000
        var generator = SystemRandomNumberGenerator()
        let plans: [Dispatched] = (0..<count).map { _ in
            var exclusive: [ResourceName] = []
            var shared: [ResourceName] = []
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let resource = ResourceName("r\(Int.random(in: 0..<25, using: &generator))")
                if Bool.random(using: &generator) { exclusive.append(resource) } else { shared.append(resource) }
            }
            return Dispatched(exclusive: exclusive, shared: shared)
        }
        try await withTaskDatabase(kind) { database in
            let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
            for plan in plans.prefix(count / 2) { try await dispatch(plan, on: queue) }
            let stop = WorkerStop()
            let workers = (0..<4).map { _ in Task { try await Worker(queue: queue).run(stop: stop) } }
            for plan in plans.suffix(count / 2) { try await dispatch(plan, on: queue) }
            let drained = try await eventually(.seconds(240)) {
                try await queue.tasks(states: [.waiting, .running], limit: 1).isEmpty
            }
            stop.request()
            var ran = 0
            for worker in workers { ran += try await worker.value.finished[.completed, default: 0] }
            #expect(drained)
            #expect(ran == count)
            let rows = try await database.withConnection { connection in
                try connection.query(
                    "SELECT id, state, exclusive_resources, shared_resources, started_at, finished_at FROM core_task ORDER BY id"
                )
            }
            #expect(rows.count == count)
            #expect(try rows.allSatisfy { try $0.decode(String.self, "state") == "completed" })
            let violations = try audit(rows)
            #expect(violations.isEmpty, "\(violations.prefix(5))")
        }
    }

    private func dispatch(_ plan: Dispatched, on queue: TaskQueue) async throws {
        try await queue.dispatch(
            "test.pause", arguments: Note(text: "", milliseconds: Int.random(in: 0...2)),
            exclusiveResources: plan.exclusive, sharedResources: plan.shared)
    }

    /// Pairs (by dispatch order) that conflict on a resource where the later one started before
    /// the earlier one ended.
    private func audit(_ rows: [Row]) throws -> [String] {
        struct Use {
            let id: Int64
            let exclusive: Bool
            let start: Date
            let end: Date
        }
        var uses: [String: [Use]] = [:]
        for row in rows {
            let id = try row.decode(Int64.self, "id")
            let start = try row.decode(Date.self, "started_at")
            let end = try row.decode(Date.self, "finished_at")
            for (column, exclusive) in [("exclusive_resources", true), ("shared_resources", false)] {
                let names = try JSONDecoder().decode(
                    [String].self, from: Data(try row.decode(String.self, column).utf8))
                for name in names {
                    uses[name, default: []].append(Use(id: id, exclusive: exclusive, start: start, end: end))
                }
            }
        }
        var violations: [String] = []
        for (resource, list) in uses {
            let ordered = list.sorted { $0.id < $1.id }
            for (index, earlier) in ordered.enumerated() {
                for later in ordered[(index + 1)...] where earlier.exclusive || later.exclusive {
                    if later.start < earlier.end {
                        violations.append("\(resource): task \(later.id) started before task \(earlier.id) ended")
                    }
                }
            }
        }
        return violations
    }
}
