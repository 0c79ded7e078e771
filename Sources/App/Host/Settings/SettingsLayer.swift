/// Where a setting's value came from. Later layers win:
/// built-in defaults < plugin defaults (in load order) < the settings file < the environment.
public enum SettingsLayer: Sendable, Hashable, CustomStringConvertible {
    /// Tandem's own defaults (``BuiltInSettings``).
    case builtIn
    /// The defaults of the plugin with this label.
    case plugin(String)
    /// The settings file at this path.
    case file(String)
    /// `TANDEM_<KEY>` environment variables.
    case environment

    /// The layer as it reads in output: `built-in defaults`, `plugin core`, `file /etc/…`.
    public var description: String {
        switch self {
        case .builtIn: "built-in defaults"
        case .plugin(let label): "plugin \(label)"
        case .file(let path): "file \(path)"
        case .environment: "environment"
        }
    }

    /// The layer's kind as a plain word, for JSON: `built-in`, `plugin`, `file`, `environment`.
    public var kind: String {
        switch self {
        case .builtIn: "built-in"
        case .plugin: "plugin"
        case .file: "file"
        case .environment: "environment"
        }
    }
}

/// Exactly where a value came from: its layer, the line in that layer's YAML, or the
/// environment variable that set it.
public struct SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// The layer.
    public let layer: SettingsLayer
    /// The line in the layer's YAML (built-in defaults, a plugin's defaults, the file).
    public let line: Int?
    /// The environment variable, for the environment layer.
    public let variable: String?

    /// A source; `line` for YAML layers, `variable` for the environment.
    public init(layer: SettingsLayer, line: Int? = nil, variable: String? = nil) {
        self.layer = layer
        self.line = line
        self.variable = variable
    }

    /// `settings.yaml:12`, `environment TANDEM_API_ROOT`, `plugin file, line 3`.
    public var description: String {
        switch (layer, line, variable) {
        case (.file(let path), let line?, _): "\(path):\(line)"
        case (.environment, _, let variable?): "environment \(variable)"
        case (_, let line?, _): "\(layer), line \(line)"
        default: layer.description
        }
    }
}
