import ArgumentParser
import Dispatch
import Foundation
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemTasks

/// `tandem-bench tasks`: dispatch rate, completion rate, burst drain time and dispatch-to-start
/// latency of no-op tasks, each beside a raw SQL loop through the driver in the same run.
struct TasksBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Task queue throughput and latency against raw SQL inserts and claims (PostgreSQL and SQLite).",
        discussion: """
            For each database (a fresh schema of --postgres, default $TANDEM_TEST_POSTGRES_URL, and a SQLite file): \
            dispatches per second with 1 and 4 callers beside raw INSERT (+ pg_notify) loops; tasks completed per \
            second by 1 and 2 workers beside raw claim-and-complete loops; the wall time of `--burst` draining \
            --tasks tasks; dispatch-to-start latency p50/p99 with an idle worker. Targets: dispatch ≥ 0.5 of the raw \
            rate; ≥ 1,000 tasks/s with 2 workers on PostgreSQL; latency p50 ≤ 5 ms, p99 ≤ 20 ms. Prints the CPU \
            pressure beside the figures.
            """
    )

    @Option(help: "PostgreSQL server URL. Default: $TANDEM_TEST_POSTGRES_URL; none skips PostgreSQL.")
    var postgres: String?

    @Option(help: "Tasks per measurement.")
    var tasks = 1000

    @Option(help: "Latency samples.")
    var samples = 200

    @Option(help: "A migrations folder holding core's task tables. Default: the core plugin's own migrations.")
    var migrations: String?

    func run() throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = ResultBox()
        let command = self
        // The main thread waits; the work runs on Swift's cooperative pool and the database threads.
        Task {
            do { try await command.measureAll() } catch { outcome.fail(error) }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }

    private func measureAll() async throws {
        print(CPUPressure.read())
        if let server = postgres ?? ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"] {
            let bench = try BenchDatabase.postgres(server: server)
            defer { bench.drop() }
            try await measure(bench.database, label: "PostgreSQL")
        }
        let bench = try BenchDatabase.sqlite()
        defer { bench.drop() }
        try await measure(bench.database, label: "SQLite")
        print(CPUPressure.read())
    }

    private func measure(_ database: Database, label: String) async throws {
        guard let folder = migrations ?? CorePlugin().migrationsFolder?.path else {
            throw ValidationError("the core plugin ships no migrations; pass --migrations")
        }
        let set = try MigrationLoader.load(paths: [folder])
        try Migrator(database: database, migrations: set).migrate()
        let settings = TaskSettings(idleCheckInterval: .seconds(1))
        let queue = TaskQueue(database: database, registry: .core, settings: settings)
        let raw = RawTaskLoops(database: database)
        print("\n\(label)")
        for callers in [1, 4] {
            let tandem = try await rate(tasks) { try await Self.dispatch(queue, count: $0, callers: callers) }
            try await raw.reset()
            let plain = try await rate(tasks) { try await raw.insert(count: $0, callers: callers) }
            try await raw.reset()
            print(Self.line("dispatch/s, \(callers) caller(s)", tandem, plain))
        }
        for workers in [1, 2] {
            try await Self.dispatch(queue, count: tasks, callers: 4)
            let tandem = try await rate(tasks) { _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<workers { group.addTask { _ = try await Worker(queue: queue).run(burst: true) } }
                    try await group.waitForAll()
                }
            }
            try await raw.reset()
            try await raw.insert(count: tasks, callers: 4)
            let plain = try await rate(tasks) { _ in try await raw.claimAll(workers: workers) }
            try await raw.reset()
            print(Self.line("completed/s, \(workers) worker(s)", tandem, plain))
            if workers == 1 {
                print(String(format: "  --burst draining %d tasks: %.3f s", tasks, Double(tasks) / tandem))
            }
        }
        let latencies = try await latency(queue)
        print(
            String(
                format: "  dispatch-to-start latency, idle worker: p50 %.2f ms, p99 %.2f ms (%d samples)",
                latencies.p50 * 1000, latencies.p99 * 1000, samples))
    }

    private func rate(_ count: Int, _ body: (Int) async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await body(count)
        return Double(count) / (clock.now - start).timeInterval
    }

    private static func dispatch(_ queue: TaskQueue, count: Int, callers: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for _ in stride(from: caller, to: count, by: callers) {
                        try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments())
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func latency(_ queue: TaskQueue) async throws -> (p50: Double, p99: Double) {
        let stop = WorkerStop()
        let worker = Task { try await Worker(queue: queue).run(stop: stop) }
        try await Task.sleep(for: .milliseconds(500))
        var ids: [UUID] = []
        for _ in 0..<samples {
            ids.append(try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments()).id)
            try await Task.sleep(for: .milliseconds(10))
        }
        while try await !queue.tasks(states: [.waiting, .running], limit: 1).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        stop.request()
        _ = try await worker.value
        var delays: [Double] = []
        for id in ids {
            let task = try await queue.task(id)
            if let started = task.startedAt { delays.append(started.timeIntervalSince(task.created)) }
        }
        delays.sort()
        guard !delays.isEmpty else { return (.nan, .nan) }
        return (delays[delays.count / 2], delays[min(delays.count - 1, delays.count * 99 / 100)])
    }

    private static func line(_ what: String, _ tandem: Double, _ raw: Double) -> String {
        String(format: "  %@: tandem %.0f, raw SQL %.0f (ratio %.2f)", what, tandem, raw, tandem / raw)
    }
}

/// Carries an error from the benchmark's task to the main thread.
final class ResultBox: @unchecked Sendable {
    // Written once by the task before it signals the semaphore the main thread waits on, read
    // after: the semaphore orders the two.
    private(set) var error: (any Error)?
    func fail(_ error: any Error) { self.error = error }
}
