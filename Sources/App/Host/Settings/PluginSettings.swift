/// What a plugin contributes to the settings: its defaults, laid over the built-in defaults
/// and earlier plugins' in load order, and its validators.
///
/// ```swift
/// PluginSettings(
///     label: "file",
///     defaultsYAML: """
///         file:
///           chunk_size: 65536
///         """,
///     validators: [.type("file.chunk_size", .int), .range("file.chunk_size", 1...1_048_576)])
/// ```
public struct PluginSettings: Sendable {
    /// The plugin's label (`core`, `file`); the layer its values show as.
    public let label: String
    /// The plugin's default settings, as YAML (merge markers allowed).
    public let defaultsYAML: String
    /// Checks the plugin adds, run after all layers are loaded.
    public let validators: [SettingValidator]

    /// A plugin's settings contribution.
    public init(label: String, defaultsYAML: String, validators: [SettingValidator] = []) {
        self.label = label
        self.defaultsYAML = defaultsYAML
        self.validators = validators
    }
}
