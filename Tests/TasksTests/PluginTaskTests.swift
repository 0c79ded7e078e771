import Foundation
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemTasks
import TandemTesting
import Testing

/// A plugin that contributes a task, as a third party would: it writes a line to a file.
struct EchoPlugin: Plugin, TaskProvider {
    let label = "echo"
    let name = "Echo"
    let version = SemanticVersion(2, 3, 0)

    struct Line: Codable, Sendable {
        var path: String
        var text: String
    }

    static func registerTasks(in registry: inout TaskRegistry) throws {
        try registry.register("echo.tasks.write", owner: TaskOwner(EchoPlugin()), arguments: Line.self) { line, _ in
            try Data(line.text.utf8).write(to: URL(fileURLWithPath: line.path))
        }
    }
}

/// A plugin whose task takes a value from the settings (`sized.limit`, default 3).
struct SizedPlugin: Plugin, TaskProvider {
    let label = "sized"
    let name = "Sized"
    let version = SemanticVersion(1, 4, 0)
    var defaultSettingsYAML: String { "sized:\n  limit: 3\n" }

    static func registerTasks(in registry: inout TaskRegistry) throws {
        try register(in: &registry, limit: 3)
    }

    static func registerTasks(in registry: inout TaskRegistry, settings: Settings) throws {
        try register(in: &registry, limit: try settings.int("sized.limit"))
    }

    private static func register(in registry: inout TaskRegistry, limit: Int) throws {
        try registry.register("sized.tasks.limit", owner: TaskOwner(SizedPlugin()), arguments: EchoPlugin.Line.self) {
            line, _ in
            try Data("\(line.text) \(limit)".utf8).write(to: URL(fileURLWithPath: line.path))
        }
    }
}

/// Registers a task outside its label.
struct StrayPlugin: Plugin, TaskProvider {
    let label = "stray"
    let name = "Stray"
    let version = SemanticVersion(1, 0, 0)

    static func registerTasks(in registry: inout TaskRegistry) throws {
        try registry.register(
            "core.tasks.takeover", owner: TaskOwner(StrayPlugin()), arguments: CoreTasks.NoArguments.self
        ) { _, _ in }
    }
}

/// Registers its task as owned by another plugin.
struct ImpostorPlugin: Plugin, TaskProvider {
    let label = "impostor"
    let name = "Impostor"
    let version = SemanticVersion(1, 0, 0)

    static func registerTasks(in registry: inout TaskRegistry) throws {
        try registry.register("impostor.run", owner: CoreTasks.owner, arguments: CoreTasks.NoArguments.self) { _, _ in }
    }
}

/// Registers one name twice.
struct TwicePlugin: Plugin, TaskProvider {
    let label = "twice"
    let name = "Twice"
    let version = SemanticVersion(1, 0, 0)

    static func registerTasks(in registry: inout TaskRegistry) throws {
        for _ in 0..<2 {
            try registry.register("twice.run", owner: TaskOwner(TwicePlugin()), arguments: CoreTasks.NoArguments.self) {
                _, _ in
            }
        }
    }
}

/// A plugin without tasks.
struct QuietPlugin: Plugin {
    let label = "quiet"
    let name = "Quiet"
    let version = SemanticVersion(1, 0, 0)
}

@Suite("Plugin tasks")
struct PluginTaskTests {
    @Test
    func theRegistryHoldsEveryTaskProvidingPluginsTasks() throws {
        let application = try Application(plugins: [CorePlugin(), QuietPlugin(), EchoPlugin()])
        let registry = try TaskRegistry(application: application)
        #expect(registry.definitions.keys.sorted() == ["core.noop", "core.sleep", "echo.tasks.write"])
        #expect(registry["echo.tasks.write"]?.owner == TaskOwner(plugin: "echo", version: SemanticVersion(2, 3, 0)))
        #expect(registry.pluginVersions == ["core": CorePlugin().version.description, "echo": "2.3.0"])
    }

    @Test
    func aPluginsTasksOutsideItsLabelOrOwnedByAnotherAreRefusedAllAtOnce() throws {
        let application = try Application(plugins: [CorePlugin(), StrayPlugin(), ImpostorPlugin(), TwicePlugin()])
        let error = #expect(throws: TaskRegistrationError.self) { try TaskRegistry(application: application) }
        #expect(
            error?.description.split(separator: "\n") == [
                "plugin stray (Stray 1.0.0) registers task 'core.tasks.takeover', whose name must start with 'stray.'",
                "plugin impostor (Impostor 1.0.0) registers task 'impostor.run' as owned by core \(CorePlugin().version)",
                "plugin twice (Twice 1.0.0) could not register its tasks: task 'twice.run' is registered twice",
            ])
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aPluginsTaskIsConfiguredByTheApplicationsSettings(_ kind: TestDatabaseKind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sized-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withTaskDatabase(kind) { database in
            let application = try Application(plugins: [CorePlugin(), SizedPlugin()])
            let settings = try application.loadSettings(file: nil, environment: ["TANDEM_SIZED__LIMIT": "7"])
            let queue = TaskQueue(
                database: database, registry: try TaskRegistry(application: application, settings: settings),
                settings: testSettings())
            let target = folder.appendingPathComponent("limit")
            try await queue.dispatch("sized.tasks.limit", arguments: EchoPlugin.Line(path: target.path, text: "limit"))
            #expect(try await Worker(queue: queue).run(burst: true).finished == [.completed: 1])
            #expect(try String(contentsOf: target, encoding: .utf8) == "limit 7")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aWorkerRunsAPluginsTask(_ kind: TestDatabaseKind) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("echo-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withTaskDatabase(kind) { database in
            let application = try Application(plugins: [CorePlugin(), EchoPlugin()])
            let queue = TaskQueue(
                database: database, registry: try TaskRegistry(application: application), settings: testSettings())
            let target = folder.appendingPathComponent("line")
            let task = try await queue.dispatch(
                "echo.tasks.write", arguments: EchoPlugin.Line(path: target.path, text: "hello from echo"))
            #expect(task.versions == ["echo": "2.3.0"])
            let report = try await Worker(queue: queue, versions: application.componentVersions).run(burst: true)
            #expect(report.finished == [.completed: 1])
            #expect(try await queue.task(task.id).state == .completed)
            #expect(try String(contentsOf: target, encoding: .utf8) == "hello from echo")
        }
    }
}
