import TandemMigrations

/// Why ``Application/init(plugins:)`` refused its plugins: every problem found, each naming both
/// sides of a conflict. The CLI exits with 2 (bad input) and starts nothing.
public struct ApplicationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Each problem, in the order the plugins were given.
    public let problems: [ApplicationProblem]

    /// One line per problem.
    public var description: String {
        "the application's plugins do not fit together:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// One reason an application cannot be assembled from its plugins.
public enum ApplicationProblem: Sendable, Equatable, CustomStringConvertible {
    /// A label that cannot name a migrations component (`File-Plugin`).
    case invalidLabel(label: String, plugin: String)
    /// Two plugins with one label.
    case duplicateLabel(label: String, first: String, second: String)
    /// A plugin requires one that is not in the application.
    case missingRequirement(plugin: String, requires: String, range: VersionRange)
    /// A plugin requires a release of another that the application does not have.
    case versionOutOfRange(plugin: String, requires: String, range: VersionRange, found: SemanticVersion)
    /// Two models, of one plugin or two, store rows in one table.
    case tableTaken(table: String, first: String, second: String)
    /// Two detail models under one master have one `pulp_type`.
    case pulpTypeTaken(pulpType: String, master: String, first: String, second: String)
    /// A plugin's migrations folder has no folder named by its label.
    case missingMigrations(plugin: String, folder: String)

    /// A message naming the plugins (and models) on both sides.
    public var description: String {
        switch self {
        case .invalidLabel(let label, let plugin):
            "plugin \(plugin): invalid label '\(label)': lowercase letters, digits and _, starting with a letter"
        case .duplicateLabel(let label, let first, let second):
            "label '\(label)' is used by two plugins: \(first) and \(second)"
        case .missingRequirement(let plugin, let requires, let range):
            "plugin \(plugin) requires plugin '\(requires)' (\(range)), which the application does not load"
        case .versionOutOfRange(let plugin, let requires, let range, let found):
            "plugin \(plugin) requires plugin '\(requires)' \(range), but the application loads \(requires) \(found)"
        case .tableTaken(let table, let first, let second):
            "table \(table) is registered twice: by \(first) and by \(second)"
        case .pulpTypeTaken(let pulpType, let master, let first, let second):
            "pulp_type \(pulpType) of master \(master) is registered twice: by \(first) and by \(second)"
        case .missingMigrations(let plugin, let folder):
            "plugin \(plugin): its migrations folder \(folder) does not exist"
        }
    }
}
