import TandemApp
import TandemDatabase
import TandemMigrations

/// Core's diagnostic tasks, as pulpcore has them: operators dispatch them to check that workers
/// serve (`tandem task dispatch core.sleep --args '{"seconds": 2}'`).
public enum CoreTasks {
    /// The core plugin's release, recorded with every task core dispatches: the version a
    /// worker compares with its own, and the one the worker's heartbeat reports.
    public static let owner = TaskOwner(plugin: CorePlugin().label, version: CorePlugin().version)

    /// `core.noop`: does nothing.
    public struct NoArguments: Codable, Sendable {
        /// Creates empty arguments.
        public init() {}
    }

    /// `core.sleep`'s arguments.
    public struct SleepArguments: Codable, Sendable {
        /// How long to sleep, in seconds.
        public var seconds: Double

        /// Creates arguments.
        public init(seconds: Double) { self.seconds = seconds }
    }

    /// Adds `core.noop` and `core.sleep` to `registry`.
    public static func register(in registry: inout TaskRegistry) {
        do {
            try registry.register("core.noop", owner: owner, arguments: NoArguments.self) { _, _ in }
            try registry.register("core.sleep", owner: owner, arguments: SleepArguments.self) { arguments, _ in
                guard arguments.seconds >= 0, arguments.seconds.isFinite else {
                    throw TaskArgumentError(task: "core.sleep", message: "'seconds' must be a finite number ≥ 0")
                }
                try await Task.sleep(for: .milliseconds(Int64(arguments.seconds * 1000)))
            }
        } catch {
            preconditionFailure("core tasks: \(error)")
        }
    }
}
