import Foundation
import Logging
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemTasks
import TandemTesting

/// The migration file that creates the task tables; the one place tests name it.
let taskMigrationFile = "Sources/App/Host/Core/Resources/migrations/core/0003_tasks.yaml"

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Applies core's migrations (the task tables among them) to a test database.
func migrateTaskTables(_ database: Database) throws {
    let folder = repositoryRoot.appendingPathComponent(taskMigrationFile).deletingLastPathComponent().path
    let set = try MigrationLoader.load(paths: [folder])
    try Migrator(database: database, migrations: set).migrate()
}

/// A fresh database of `kind` with the task tables, for `body`.
func withTaskDatabase<T>(_ kind: TestDatabaseKind, _ body: (Database) async throws -> T) async throws -> T {
    try await withTestDatabase(kind) { database in
        try migrateTaskTables(database)
        return try await body(database)
    }
}

/// Settings for tests: a private working folder, quick checks, and a worker TTL of
/// `workerTTL` (heartbeats every third of it; a SQLite worker silent that long counts as gone).
func testSettings(
    immediateTimeLimit: Duration = .seconds(5), idleCheckInterval: Duration = .milliseconds(100),
    workerTTL: Duration = .seconds(10)
) -> TaskSettings {
    TaskSettings(
        workingDirectory: FileManager.default.temporaryDirectory.appendingPathComponent(
            "tandem-tasks-test-\(UUID().uuidString.prefix(8))"),
        immediateTimeLimit: immediateTimeLimit,
        processTTLs: try! ProcessTTLs(api: .seconds(120), content: .seconds(30), worker: workerTTL),
        idleCheckInterval: idleCheckInterval)
}

/// An owner for test tasks.
let testOwner = TaskOwner(plugin: "test", version: SemanticVersion(1, 2, 0))

/// Arguments of the test tasks.
struct Note: Codable, Sendable {
    var text: String
    var milliseconds: Int?
}

/// A registry with core's tasks and a few of the tests' own.
func testRegistry(owner: TaskOwner = testOwner) throws -> TaskRegistry {
    var registry = TaskRegistry.core
    try registry.register("test.fail", owner: owner, arguments: Note.self) { note, _ in
        throw TaskArgumentError(task: "test.fail", message: note.text)
    }
    try registry.register("test.pause", owner: owner, arguments: Note.self) { note, _ in
        try await Task.sleep(for: .milliseconds(note.milliseconds ?? 1))
    }
    try registry.register("test.directory", owner: owner, arguments: Note.self) { note, context in
        // Leaves a marker outside the working directory saying what the task saw in it.
        let entries = try FileManager.default.contentsOfDirectory(atPath: context.workingDirectory.path)
        let scratch = try context.makeTemporaryDirectory()
        try Data("x".utf8).write(to: scratch.appendingPathComponent("file"))
        let line = "\(context.workingDirectory.path)\n\(entries.count)\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: note.text))
        if note.milliseconds == -1 { throw TaskArgumentError(task: "test.directory", message: "asked to fail") }
    }
    try registry.register("test.group", owner: owner, arguments: Note.self) { note, context in
        try await TaskGroup.current?.increment(note.text)
        try await context.addProgressReport(message: "steps", code: "steps", total: 2)
        try await context.increment("steps")
        try await context.increment("steps")
    }
    return registry
}

/// Waits until `condition` holds, checking every 20 ms, for at most `limit`.
func eventually(_ limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Starts a transaction that holds task `id`'s row (SQLite: the database's write lock) until
/// `release` returns true; returns, once the lock is held, a task that ends with the commit
/// and gives the row's state just before it.
func holdingTaskRow(
    _ id: UUID, on database: Database, until release: @escaping @Sendable () -> Bool
) async throws -> Task<String?, any Error> {
    try await holdingLocks(
        on: database,
        { connection in
            try connection.execute(
                "UPDATE core_task SET state = state WHERE pulp_id = \(connection.dialect.placeholder(1))", [.uuid(id)])
        }, until: release
    ) { connection in
        try connection.query(
            "SELECT state FROM core_task WHERE pulp_id = \(connection.dialect.placeholder(1))", [.uuid(id)]
        ).first?.decode(String.self, "state")
    }
}
