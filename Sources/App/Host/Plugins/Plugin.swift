import Foundation
import TandemMigrations
import TandemORM

/// A part of an application that ships its own models, migrations and settings: pulpcore's
/// plugin model. `core` is a plugin like any other; a third party writes one against the public
/// API only (see the TandemFile module, *Writing a plugin*).
///
/// ```swift
/// public struct FilePlugin: Plugin {
///     public init() {}
///     public let label = "file"
///     public let name = "Tandem File"
///     public let version: SemanticVersion = "1.0.0"
///     public var models: [any Model.Type] { [FileRemote.self, FileRepository.self, FileContent.self] }
///     public var migrationsDirectory: URL? { Bundle.module.url(forResource: "migrations", withExtension: nil) }
///     public var requires: [String: VersionRange] { ["core": .compatible(with: "1.0.0")] }
/// }
/// let application = try Application(plugins: [CorePlugin(), FilePlugin()])
/// ```
///
/// ## Topics
/// - ``Application``
/// - ``VersionRange``
public protocol Plugin: Sendable {
    /// The plugin's short name: the first half of its models' `pulp_type`, its migrations'
    /// component and its key in the versions a process reports (`core`, `file`). Lowercase
    /// letters, digits and `_`, starting with a letter.
    var label: String { get }

    /// The name people read (`Tandem File`).
    var name: String { get }

    /// The release this build of the plugin is: what a process reports in its heartbeat and what
    /// the `requires` of breaking migrations and of other plugins are checked against.
    var version: SemanticVersion { get }

    /// The models whose tables the plugin owns: masters, details and plain models. Detail types
    /// are registered for `MasterModel.cast(on:registry:)` in
    /// ``Application/models``. The default is none.
    var models: [any Model.Type] { get }

    /// The folder that holds the plugin's migrations folder, `<label>/NNNN_name.yaml` (a
    /// folder shipped as package resources: `Bundle.module.url(forResource: "migrations",
    /// withExtension: nil)`), or nil when the plugin has no migrations (the default).
    var migrationsDirectory: URL? { get }

    /// The plugin's default settings as YAML text, loaded after the built-in defaults and before
    /// the settings file, in plugin order. The default is empty.
    var defaultSettingsYAML: String { get }

    /// The other plugins this one needs, by label, with the releases it works with. The default
    /// is none.
    var requires: [String: VersionRange] { get }
}

extension Plugin {
    /// No models.
    public var models: [any Model.Type] { [] }
    /// No migrations.
    public var migrationsDirectory: URL? { nil }
    /// No settings.
    public var defaultSettingsYAML: String { "" }
    /// No other plugin.
    public var requires: [String: VersionRange] { [:] }

    /// The folder of this plugin's own migrations, `<migrationsDirectory>/<label>`, or nil.
    public var migrationsFolder: URL? { migrationsDirectory?.appendingPathComponent(label, isDirectory: true) }
}
