import Foundation
import Testing

/// `tandem tasks check` sees every task the binary can run: core's, the file plugin's sync and
/// the API's general update and delete, so a release records their arguments too.
@Suite("tandem tasks check: every registered task")
struct TasksCheckCoverageTests {
    @Test
    func theFileSyncAndTheGeneralTasksAreChecked() async throws {
        let committed = repositoryRoot.appendingPathComponent("released-tasks.json").path
        let process = try WorkerProcessHandle(["tasks", "check", "--record", committed], url: "sqlite::memory:")
        let status = try #require(try await process.waitForExit(.seconds(60)))
        #expect(status == 0, "\(process.output)")
        #expect(
            process.output.contains(
                "not released yet: core.general_delete, core.general_update, file.tasks.synchronize"),
            "\(process.output)")
    }
}
