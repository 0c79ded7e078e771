import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TandemDatabase
import TandemHTTP
import TandemMigrations
import TandemORM
import TandemTasks
import TandemTesting

/// The folder of core's migration files (the task tables among them).
let coreMigrationsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/App/Host/Core/Resources/migrations/core").path

/// An owner for the tests' tasks.
let httpTestOwner = TaskOwner(plugin: "test", version: SemanticVersion(1, 0, 0))

/// Arguments of the tests' tasks.
struct TestNote: Codable, Sendable {
    var text: String
}

/// Core's tasks, plus `test.fail` (fails with its text) and `test.progress` (adds a progress
/// report of two steps and does them).
func httpTestRegistry() throws -> TaskRegistry {
    var registry = TaskRegistry.core
    try registry.register("test.fail", owner: httpTestOwner, arguments: TestNote.self) { note, _ in
        throw TaskArgumentError(task: "test.fail", message: note.text)
    }
    try registry.register("test.progress", owner: httpTestOwner, arguments: TestNote.self) { note, context in
        try await context.addProgressReport(message: note.text, code: "steps", total: 2)
        try await context.increment("steps", by: 2)
    }
    return registry
}

/// Runs `body` with a test client of an API serving the task endpoints (and `remotes/file/file`,
/// for hrefs) over core's migrated tables on a fresh database of `kind`, logging to `logger`.
func withTaskAPI(
    _ kind: TestDatabaseKind, logger: Logger? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, TaskQueue) async throws -> Void
) async throws {
    try await withTestDatabase(kind, logger: logger) { database in
        try Migrator(database: database, migrations: try MigrationLoader.load(paths: [coreMigrationsFolder]))
            .migrate()
        let queue = TaskQueue(database: database, registry: try httpTestRegistry())
        var api = API(database: database)
        api.register(ViewSet<TestFileRemote>("remotes/file/file"))
        api.tasks = queue
        try await Application(router: api.router()).test(.router) { client in try await body(client, queue) }
    }
}

let tasksPath = "/pulp/api/v3/tasks/"
let taskGroupsPath = "/pulp/api/v3/task-groups/"
