import Foundation
import TandemDatabase
import TandemTasks

/// The task system as the CLI runs it: core's tasks, and settings from the environment
/// (`TANDEM_WORKING_DIRECTORY`, `TANDEM_IMMEDIATE_TASK_TIME_LIMIT` in seconds) until the host's
/// settings layer provides them.
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

    /// Settings from the environment, else the defaults.
    static func settings() throws -> TaskSettings {
        var settings = TaskSettings()
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["TANDEM_WORKING_DIRECTORY"], !folder.isEmpty {
            settings.workingDirectory = URL(fileURLWithPath: folder, isDirectory: true)
        }
        if let text = environment["TANDEM_IMMEDIATE_TASK_TIME_LIMIT"] {
            guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
                throw TaskSettingError(
                    message: "TANDEM_IMMEDIATE_TASK_TIME_LIMIT must be a positive number of seconds")
            }
            settings.immediateTimeLimit = .milliseconds(Int64(seconds * 1000))
        }
        return settings
    }

    /// A queue on the database the options name.
    static func queue(_ database: Database) throws -> TaskQueue {
        TaskQueue(database: database, registry: registry, settings: try settings())
    }
}

/// A task setting is invalid (exit code 2).
struct TaskSettingError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
