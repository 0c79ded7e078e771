import Foundation
import TandemDatabase
import TandemTasks
import TandemTesting
import Testing

/// `tandem task dispatch|list|show` and `tandem tasks check`, run as the built binary.
@Suite("Task commands")
struct TaskCommandTests {
    private func run(_ arguments: [String], url: String = "sqlite::memory:") async throws -> (Int32, String) {
        let process = try WorkerProcessHandle(arguments, url: url)
        let status = try #require(try await process.waitForExit(.seconds(60)))
        return (status, process.output)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func dispatchListAndShow(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try migrateTaskTables(test.database)
        let (status, output) = try await run(
            [
                "task", "dispatch", "core.sleep", "--args", #"{"seconds": 0}"#, "--exclusive", "repo-1", "--shared",
                "remote-1",
            ],
            url: test.url)
        #expect(status == 0, "\(output)")
        let id = try #require(output.split(separator: " ").first.map(String.init))
        #expect(output.hasSuffix(" waiting\n"))

        let (busyStatus, busy) = try await run(
            ["task", "dispatch", "core.noop", "--shared", "repo-1", "--immediate", "--no-deferred"], url: test.url)
        #expect(busyStatus == 1)
        #expect(busy.contains("canceled: resources temporarily unavailable"))

        let (badStatus, bad) = try await run(
            ["task", "dispatch", "core.sleep", "--args", #"{"seconds": "a-secret"}"#], url: test.url)
        #expect(badStatus == 2)
        #expect(bad.contains("task 'core.sleep': invalid arguments: 'seconds' must be number"))
        #expect(!bad.contains("a-secret"))

        let (listStatus, list) = try await run(["task", "list", "--state", "waiting", "--json"], url: test.url)
        #expect(listStatus == 0)
        let tasks = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]]
        #expect(tasks?.count == 1)
        #expect(tasks?.first?["id"] as? String == id)
        #expect(tasks?.first?["exclusive_resources"] as? [String] == ["repo-1"])
        #expect(tasks?.first?["versions"] as? [String: String] == ["core": CoreTasks.owner.version.description])

        let (showStatus, show) = try await run(["task", "show", id], url: test.url)
        #expect(showStatus == 0)
        #expect(show.contains("name: core.sleep") && show.contains("state: waiting"))
        let (missingStatus, _) = try await run(["task", "show", UUID().uuidString], url: test.url)
        #expect(missingStatus == 1)
        let (invalidStatus, _) = try await run(["task", "show", "not-a-uuid"], url: test.url)
        #expect(invalidStatus == 2)

        let (burstStatus, burst) = try await run(["worker", "--burst"], url: test.url)
        #expect(burstStatus == 0, "\(burst)")
        let queue = TaskQueue(database: test.database, registry: .core)
        #expect(try await queue.task(UUID(uuidString: id)!).state == .completed)
    }

    @Test
    func tasksCheckComparesWithTheRecord() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tasks-check-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("released-tasks.json").path
        // The committed record passes.
        let committed = repositoryRoot.appendingPathComponent("released-tasks.json").path
        let (okStatus, ok) = try await run(["tasks", "check", "--record", committed])
        #expect(okStatus == 0, "\(ok)")
        // A released argument the code no longer has.
        var released = try ReleasedTasks(contentsOf: URL(fileURLWithPath: committed))
        released.tasks["core.sleep"]?.arguments["jitter"] = ArgumentSchema.Field(type: "number", required: false)
        try Data(try released.json().utf8).write(to: URL(fileURLWithPath: record))
        let (failStatus, failure) = try await run(["tasks", "check", "--record", record])
        #expect(failStatus == 1)
        #expect(failure.contains("task 'core.sleep': argument 'jitter' was removed or renamed"))
        let (missingStatus, _) = try await run([
            "tasks", "check", "--record", folder.appendingPathComponent("none").path,
        ])
        #expect(missingStatus == 2)
    }
}
