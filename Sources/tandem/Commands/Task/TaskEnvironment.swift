import Foundation
import TandemApp
import TandemDatabase
import TandemHTTP
import TandemTasks

/// The task system as the CLI runs it: the tasks of the application's plugins, and the task
/// settings of the application's settings.
enum TaskEnvironment {
    /// The tasks this binary can run: every plugin's, configured by `settings`
    /// (``TaskRegistry/init(application:settings:)``), plus
    /// `drill.trap` (a task that crashes its process with a trap) when `TANDEM_DRILL_TASKS=1`,
    /// for the crash drills.
    ///
    /// - Throws: ``ApplicationError`` when the plugins do not fit together,
    ///   ``TaskRegistrationError`` when a plugin's tasks are refused (both exit 2).
    static func registry(of application: Application, settings: Settings) throws -> TaskRegistry {
        var registry = try TaskRegistry(application: application, settings: settings)
        if ProcessInfo.processInfo.environment["TANDEM_DRILL_TASKS"] == "1" {
            try registry.register("drill.trap", owner: CoreTasks.owner, arguments: CoreTasks.NoArguments.self) {
                _, _ in
                fatalError("drill.trap: crashing the worker process on purpose")
            }
        }
        return registry
    }

    /// The application's settings: built-in defaults, plugins, the settings file, `TANDEM_*`
    /// variables.
    static func hostSettings(of application: Application) throws -> Settings {
        try application.loadSettings(file: nil, environment: ProcessInfo.processInfo.environment)
    }

    /// The task settings of the application's settings: `working_directory`,
    /// `immediate_task_time_limit` (seconds) and every kind's `process_ttl` (a worker heartbeats
    /// every third of its own; a SQLite worker silent for a whole TTL counts as gone).
    static func settings(from host: Settings) throws -> TaskSettings {
        var settings = TaskSettings()
        settings.workingDirectory = URL(fileURLWithPath: try host.string("working_directory"), isDirectory: true)
        settings.immediateTimeLimit = .milliseconds(Int64(try host.double("immediate_task_time_limit") * 1000))
        settings.processTTLs = try host.processTTLs()
        return settings
    }

    /// The tasks this binary can run on `database`: every plugin's (``registry(of:settings:)``),
    /// and the API's `core.general_update` and `core.general_delete` for every object
    /// `tandem serve` serves, so a worker applies the changes the API process left for workers.
    static func registry(serving database: Database, application: Application, settings: Settings) throws
        -> TaskRegistry
    {
        var registry = try registry(of: application, settings: settings)
        let api = try API(application: application, database: database)
        try api.registerGeneralTasks(in: &registry)
        return registry
    }

    /// Every task this binary registers, for `tandem tasks check`: ``registry(serving:application:settings:)``
    /// over a throwaway in-memory database (registering tasks reads no data).
    static func checkedRegistry() throws -> TaskRegistry {
        let application = try ExampleApplication.assemble()
        let database = try Database("sqlite::memory:")
        defer { database.close() }
        return try registry(serving: database, application: application, settings: try hostSettings(of: application))
    }

    /// A queue on `database` for the example application's tasks and settings.
    static func queue(_ database: Database) throws -> TaskQueue {
        let application = try ExampleApplication.assemble()
        let host = try hostSettings(of: application)
        return TaskQueue(
            database: database, registry: try registry(serving: database, application: application, settings: host),
            settings: try settings(from: host))
    }
}
