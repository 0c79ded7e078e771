import Foundation

/// Loads the settings: lays the layers over each other, later wins, then runs every validator.
///
/// Layers: ``BuiltInSettings`` < each plugin's defaults, in load order < the settings file <
/// `TANDEM_<KEY>` environment variables (see the README's "Settings" section for merge
/// markers and how variables are read). The file is the one given, else `$TANDEM_SETTINGS`,
/// else `/etc/tandem/settings.yaml` when it exists.
///
/// ```swift
/// let settings = try SettingsLoader(
///     plugins: application.pluginSettings, file: options.settings,
///     environment: ProcessInfo.processInfo.environment
/// ).load()
/// let ttl = try settings.int("process_ttl.worker")
/// ```
public struct SettingsLoader: Sendable {
    /// The variable that names the settings file when no path is given.
    public static let fileVariable = "TANDEM_SETTINGS"
    /// The settings file read when neither a path nor `TANDEM_SETTINGS` names one, if present.
    public static let systemFile = "/etc/tandem/settings.yaml"
    /// The largest settings file read, in bytes.
    static let maximumFileSize = 1 << 20

    private let plugins: [PluginSettings]
    private let file: String?
    private let environment: [String: String]
    private let systemFile: String

    /// A loader of these plugins' defaults, the settings `file` (nil: `TANDEM_SETTINGS`, else
    /// `/etc/tandem/settings.yaml` when present) and `environment`.
    public init(plugins: [PluginSettings], file: String?, environment: [String: String]) {
        self.init(plugins: plugins, file: file, environment: environment, systemFile: Self.systemFile)
    }

    /// A loader that looks for the system-wide file at `systemFile` (for tests).
    public init(plugins: [PluginSettings], file: String?, environment: [String: String], systemFile: String) {
        self.plugins = plugins
        self.file = file
        self.environment = environment
        self.systemFile = systemFile
    }

    /// The settings file this loader reads, if any: the given path, else `TANDEM_SETTINGS`,
    /// else the system file when it exists.
    public var filePath: String? {
        if let file { return file }
        if let named = environment[Self.fileVariable], !named.isEmpty { return named }
        return FileManager.default.fileExists(atPath: systemFile) ? systemFile : nil
    }

    /// The effective settings, checked by every validator.
    ///
    /// Throws every problem at once: when a layer cannot be read (a file that does not
    /// parse, with its line), those problems; otherwise every failed validator, each with
    /// the key and the layer (and line) its value came from.
    public func load() throws(SettingsError) -> Settings {
        let settings = try merged()
        let problems = problems(in: settings)
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
        return settings
    }

    /// Every failure of the built-in and the plugins' validators on `settings`.
    public func problems(in settings: Settings) -> [SettingsProblem] {
        settings.problems(checking: BuiltInSettings.validators + plugins.flatMap(\.validators))
    }

    /// The effective settings, before validation.
    public func merged() throws(SettingsError) -> Settings {
        var problems: [SettingsProblem] = []
        var root = SettingNode(content: .mapping(NodeMapping(), mode: .replace), source: SettingSource(layer: .builtIn))
        func lay(_ result: Result<SettingNode, SettingsError>) {
            switch result {
            case .success(let layer): root = SettingNode.merge(root, layer)
            case .failure(let error): problems += error.problems
            }
        }
        lay(SettingsDocument(layer: .builtIn).parse(BuiltInSettings.defaultsYAML))
        for plugin in plugins {
            lay(SettingsDocument(layer: .plugin(plugin.label)).parse(plugin.defaultsYAML))
        }
        let path = filePath
        if let path {
            lay(read(path).flatMap { SettingsDocument(layer: .file(path)).parse($0) })
        }
        lay(EnvironmentSettings(environment: environment).merged(over: root))
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
        return Settings(root: root, file: path)
    }

    private func read(_ path: String) -> Result<String, SettingsError> {
        func failure(_ message: String) -> Result<String, SettingsError> {
            .failure(
                SettingsError(problems: [
                    SettingsProblem(key: nil, source: SettingSource(layer: .file(path)), message: message)
                ]))
        }
        guard !path.isEmpty else { return failure("the settings file's path is empty") }
        // Resolved first: a settings file is often a symbolic link (a mounted config map).
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: resolved.path),
            let values = try? resolved.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
        else {
            return failure("cannot read the settings file: it does not exist or is not accessible")
        }
        guard values.isRegularFile == true else {
            return failure("the settings file is not a regular file")
        }
        guard let size = values.fileSize, size <= Self.maximumFileSize else {
            return failure("the settings file is larger than \(Self.maximumFileSize) bytes")
        }
        guard let data = FileManager.default.contents(atPath: resolved.path) else {
            return failure("cannot read the settings file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return failure("the settings file is not UTF-8 text")
        }
        return .success(text)
    }
}
