import TandemApp

extension TaskRegistry {
    /// The tasks of every plugin of `application` that is a ``TaskProvider``, in load order;
    /// with `settings`, each registers through ``TaskProvider/registerTasks(in:settings:)``.
    ///
    /// Each plugin registers into a registry of its own first, then its tasks are checked and
    /// added: a name outside the plugin's label (`file.` for `file`), an owner that is not the
    /// plugin at its version, or a provider that throws (a name it registers twice) refuses the
    /// application with every problem at once, each naming the plugin and the task. Since
    /// labels are unique, two plugins' names never clash.
    ///
    /// - Throws: ``TaskRegistrationError`` listing every problem; nothing is registered then.
    public init(application: Application, settings: Settings? = nil) throws(TaskRegistrationError) {
        var registry = TaskRegistry()
        var problems: [String] = []
        for plugin in application.plugins {
            guard let provider = plugin as? any TaskProvider else { continue }
            let described = "plugin \(plugin.label) (\(plugin.name) \(plugin.version))"
            var own = TaskRegistry()
            do {
                if let settings {
                    try type(of: provider).registerTasks(in: &own, settings: settings)
                } else {
                    try type(of: provider).registerTasks(in: &own)
                }
            } catch {
                problems.append("\(described) could not register its tasks: \(error)")
                continue
            }
            let prefix = plugin.label + "."
            for definition in own.definitions.values.sorted(by: { $0.name < $1.name }) {
                if !definition.name.hasPrefix(prefix) {
                    problems.append(
                        "\(described) registers task '\(definition.name)', whose name must start with '\(prefix)'")
                } else if definition.owner != TaskOwner(plugin) {
                    problems.append(
                        "\(described) registers task '\(definition.name)' as owned by \(definition.owner.plugin) \(definition.owner.version)"
                    )
                } else {
                    // Labels are unique and names start with their plugin's label, so names
                    // from different plugins never clash; a plugin's own clash threw above.
                    registry.definitions[definition.name] = definition
                }
            }
        }
        guard problems.isEmpty else { throw TaskRegistrationError(message: problems.joined(separator: "\n")) }
        self = registry
    }
}

extension TaskOwner {
    /// `plugin` at its version: the owner of the tasks it registers.
    public init(_ plugin: any Plugin) {
        self.init(plugin: plugin.label, version: plugin.version)
    }
}

extension CorePlugin: TaskProvider {
    /// Registers core's diagnostic tasks, `core.noop` and `core.sleep` (``CoreTasks``).
    public static func registerTasks(in registry: inout TaskRegistry) throws {
        CoreTasks.register(in: &registry)
    }
}
