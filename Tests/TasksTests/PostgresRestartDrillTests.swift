import Dispatch
import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// The database server restarts under a working worker: PostgreSQL only by nature (SQLite has no
/// server). The drill runs a server of its own, so the shared test server is never disturbed.
@Suite("Task drills: PostgreSQL restart")
struct PostgresRestartDrillTests {
    // A fast shutdown: the test servers run with synchronous_commit=off, so an immediate one
    // could lose the last commits, which is the server's setting, not the worker's doing.

    /// Runs a shell command through `system` on a thread of its own. Not `Process`: the server
    /// the scripts start would inherit the descriptor Foundation watches for the child's end.
    private func shell(_ command: String) async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "tandem.test.shell").async { continuation.resume(returning: system(command)) }
        }
    }

    @Test
    func workerReconnectsAndNothingIsLost() async throws {
        guard ProcessInfo.processInfo.environment[testPostgresEnvironmentVariable] != nil else {
            Issue.record("\(testPostgresEnvironmentVariable) is not set: run scripts/test")
            return
        }
        let folder = "/tmp/tandem-restart-\(UUID().uuidString.prefix(8))"
        let port = Int.random(in: 56000...56999)
        let scripts = repositoryRoot.appendingPathComponent("scripts").path
        let start = "TANDEM_TEST_POSTGRES_PORT=\(port) '\(scripts)/start-postgres.sh' '\(folder)' >/dev/null 2>&1"
        let stop =
            "runuser -u postgres -- \"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl\" -D '\(folder)/data' -m fast -w stop >/dev/null 2>&1"
        #expect(await shell(start) == 0)
        defer { _ = system("'\(scripts)/stop-postgres.sh' '\(folder)' >/dev/null 2>&1") }
        let database = try Database("postgres://postgres@localhost:\(port)/postgres?host=\(folder)")
        defer { database.close() }
        try migrateTaskTables(database)
        let queue = TaskQueue(database: database, registry: try testRegistry(), settings: testSettings())
        let workerStop = WorkerStop()
        let worker = Task { try await Worker(queue: queue).run(stop: workerStop) }
        let before = try await queue.dispatch("core.noop", arguments: CoreTasks.NoArguments())
        #expect(try await eventually { try await queue.task(before.id).state == .completed })
        let running = try await queue.dispatch(
            "core.sleep", arguments: CoreTasks.SleepArguments(seconds: 1.5), exclusiveResources: ["r"])
        #expect(try await eventually { try await queue.task(running.id).state == .running })

        let clock = ContinuousClock()
        let restarted = clock.now
        #expect(await shell(stop) == 0)
        #expect(await shell(start) == 0)
        // The pool's connections died with the server: the first uses fail, then fresh ones serve.
        var after: TaskRecord?
        var lastError: (any Error)?
        for _ in 0..<50 where after == nil {
            do {
                after = try await queue.dispatch(
                    "core.noop", arguments: CoreTasks.NoArguments(), exclusiveResources: ["r"])
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let dispatched = try #require(after, "\(String(describing: lastError))")
        #expect(try await eventually(.seconds(30)) { try await queue.task(dispatched.id).state == .completed })
        print("drill postgres restart: a task dispatched after the restart completed \(clock.now - restarted) after it")
        let survivor = try await queue.task(running.id)
        #expect(survivor.state == .completed, "\(survivor.error ?? "")")
        workerStop.request()
        _ = try await worker.value
        #expect(try await queue.tasks(states: [.running, .waiting, .canceling]).isEmpty)
    }
}
