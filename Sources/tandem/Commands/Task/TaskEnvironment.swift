import Foundation
import TandemDatabase
import TandemFile
import TandemHTTP
import TandemTasks

/// The task system as the CLI runs it: core's tasks, and the task settings of the application's
/// settings.
enum TaskEnvironment {
    /// The tasks this binary can run: core's, plus `drill.trap` (a task that crashes its process
    /// with a trap) when `TANDEM_DRILL_TASKS=1`, for the crash drills.
    static var registry: TaskRegistry {
        var registry = TaskRegistry.core
        if ProcessInfo.processInfo.environment["TANDEM_DRILL_TASKS"] == "1" {
            try? registry.register("drill.trap", owner: CoreTasks.owner, arguments: CoreTasks.NoArguments.self) {
                _, _ in
                fatalError("drill.trap: crashing the worker process on purpose")
            }
        }
        return registry
    }

    /// The task settings of the application's settings (built-in defaults, plugins, the settings
    /// file, `TANDEM_*` variables): `working_directory`, `immediate_task_time_limit` (seconds)
    /// and the worker's heartbeat from `process_ttl.worker` (a third of it; a SQLite worker
    /// silent for a whole TTL counts as gone).
    static func settings() throws -> TaskSettings {
        let host = try ExampleApplication.assemble().loadSettings(
            file: nil, environment: ProcessInfo.processInfo.environment)
        var settings = TaskSettings()
        settings.workingDirectory = URL(fileURLWithPath: try host.string("working_directory"), isDirectory: true)
        settings.immediateTimeLimit = .milliseconds(Int64(try host.double("immediate_task_time_limit") * 1000))
        let ttl = try host.processTTLs().worker
        settings.heartbeatInterval = ttl / 3
        settings.heartbeatTimeout = ttl
        return settings
    }

    /// The tasks this binary can run on `database`: ``registry``, the file plugin's sync (with
    /// `file.max_manifest_size` from the settings), and the API's
    /// `core.general_update` and `core.general_delete` for every object `tandem serve` serves, so
    /// a worker applies the changes the API process left for workers.
    static func registry(serving database: Database) throws -> TaskRegistry {
        var registry = self.registry
        let host = try ExampleApplication.assemble().loadSettings(
            file: nil, environment: ProcessInfo.processInfo.environment)
        try FilePlugin.registerTasks(in: &registry, maxManifestSize: try host.int("file.max_manifest_size"))
        let api = try API(application: try ExampleApplication.assemble(), database: database)
        try api.registerGeneralTasks(in: &registry)
        return registry
    }

    /// Every task this binary registers, for `tandem tasks check`: ``registry(serving:)`` over a
    /// throwaway in-memory database (registering tasks reads no data).
    static func checkedRegistry() throws -> TaskRegistry {
        let database = try Database("sqlite::memory:")
        defer { database.close() }
        return try registry(serving: database)
    }

    /// A queue on the database the options name.
    static func queue(_ database: Database) throws -> TaskQueue {
        TaskQueue(database: database, registry: try registry(serving: database), settings: try settings())
    }
}
