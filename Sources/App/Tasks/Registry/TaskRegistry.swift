import Foundation
import TandemApp

/// The tasks an application can run, by name. A plugin adds its tasks by conforming to
/// ``TaskProvider``, and ``init(application:settings:)`` collects every plugin's; core adds its
/// diagnostic tasks (``CoreTasks``) that way.
///
/// ```swift
/// struct SyncArguments: Codable, Sendable { var remote: UUID; var mirror: Bool? }
/// extension FilePlugin: TaskProvider {
///     public static func registerTasks(in registry: inout TaskRegistry) throws {
///         try registry.register("file.tasks.synchronize", owner: TaskOwner(FilePlugin()),
///                               arguments: SyncArguments.self) { arguments, context in ... }
///     }
/// }
/// let registry = try TaskRegistry(application: application, settings: settings)
/// ```
///
/// ## Topics
/// - ``TaskDefinition``
/// - ``TaskOwner``
/// - ``ArgumentSchema``
public struct TaskRegistry: Sendable {
    /// Every registered task, by name.
    public internal(set) var definitions: [String: TaskDefinition] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding core's diagnostic tasks, `core.noop` and `core.sleep`.
    public static var core: TaskRegistry {
        var registry = TaskRegistry()
        CoreTasks.register(in: &registry)
        return registry
    }

    /// Registers a task under a stable name.
    ///
    /// - Throws: ``TaskRegistrationError`` when the name is empty, has no plugin prefix
    ///   (`plugin.name`) or is taken.
    public mutating func register<Arguments: Codable & Sendable>(
        _ name: String, owner: TaskOwner, arguments: Arguments.Type,
        run: @escaping @Sendable (Arguments, TaskContext) async throws -> Void
    ) throws(TaskRegistrationError) {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex,
            !name.contains(where: \.isWhitespace)
        else {
            throw TaskRegistrationError(message: "task name '\(name)' must read 'plugin.name' without spaces")
        }
        guard definitions[name] == nil else {
            throw TaskRegistrationError(message: "task '\(name)' is registered twice")
        }
        let decode: @Sendable (Data) throws -> Arguments = { data in
            try JSONDecoder().decode(Arguments.self, from: data)
        }
        definitions[name] = TaskDefinition(
            name: name, owner: owner, schema: ArgumentSchema(of: Arguments.self),
            run: { data, context in try await run(try decode(data), context) },
            check: { data in _ = try decode(data) })
    }

    /// The task registered under `name`.
    public subscript(name: String) -> TaskDefinition? { definitions[name] }

    /// The version each plugin that registered tasks runs, by plugin label.
    public var pluginVersions: [String: String] {
        Dictionary(definitions.values.map { ($0.owner.plugin, $0.owner.version.description) }) { first, _ in first }
    }
}

/// A task could not be registered.
public struct TaskRegistrationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// What a ``TandemApp/Plugin`` adopts to register its tasks:
/// ``TaskRegistry/init(application:settings:)`` calls it for every plugin of the application that
/// conforms, in load order.
///
/// Every task's name must start with the plugin's label and a dot (`file.tasks.synchronize`), and
/// its owner must be the plugin at its version (``TaskOwner/init(_:)``); otherwise the registry
/// refuses the plugin at start. A plugin whose tasks depend on its settings (a size limit)
/// implements ``registerTasks(in:settings:)`` too.
public protocol TaskProvider {
    /// Registers the plugin's tasks.
    static func registerTasks(in registry: inout TaskRegistry) throws

    /// Registers the plugin's tasks, configured by the application's `settings`; the default
    /// calls ``registerTasks(in:)``.
    static func registerTasks(in registry: inout TaskRegistry, settings: Settings) throws
}

extension TaskProvider {
    /// Registers the tasks as ``registerTasks(in:)`` does: they need no settings.
    public static func registerTasks(in registry: inout TaskRegistry, settings: Settings) throws {
        try registerTasks(in: &registry)
    }
}
