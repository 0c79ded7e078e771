/// Everything wrong with the settings, reported at once: files that cannot be read or parsed,
/// environment variables that cannot be placed, and every failed validator.
///
/// The CLI exits with status 2 (bad input) on it, and nothing is started.
public struct SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order they were found (layers first, then validators).
    public let problems: [SettingsProblem]

    /// An error of these problems.
    public init(problems: [SettingsProblem]) {
        self.problems = problems
    }

    /// `invalid settings (2 problems):` then one problem a line.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["invalid settings (\(count)):"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// One thing wrong with the settings: which key, where its value came from, and what is wrong.
///
/// Messages never hold a secret's value (``SettingsRedaction``).
public struct SettingsProblem: Sendable, Hashable, CustomStringConvertible {
    /// The setting's key, when the problem is about one.
    public let key: String?
    /// Where the offending value came from; nil for a key that is missing everywhere.
    public let source: SettingSource?
    /// What is wrong.
    public let message: String

    /// A problem with `key`, whose value came from `source`.
    public init(key: String?, source: SettingSource?, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    /// The layer the offending value came from.
    public var layer: SettingsLayer? { source?.layer }

    /// The line in that layer's YAML (the settings file's, a plugin's defaults).
    public var line: Int? { source?.line }

    /// `settings.yaml:4: process_ttl.api: must be between 1 and 86400, got 0`.
    public var description: String {
        [source?.description, key, message].compactMap { $0 }.joined(separator: ": ")
    }
}
