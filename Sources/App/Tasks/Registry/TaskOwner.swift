import TandemMigrations

/// The plugin that registers a task, with the version the running code has: dispatch records
/// it, and a worker skips tasks recorded with a newer version than its own.
public struct TaskOwner: Sendable, Hashable {
    /// The plugin's label (`core`, `file`).
    public let plugin: String
    /// The plugin's version in this process.
    public let version: SemanticVersion

    /// Creates an owner.
    public init(plugin: String, version: SemanticVersion) {
        self.plugin = plugin
        self.version = version
    }
}
