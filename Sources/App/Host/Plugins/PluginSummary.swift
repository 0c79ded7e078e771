import TandemMigrations
import TandemORM

/// What a plugin is and what it registers, as `tandem plugins --json` and `tandem status` print
/// it. The JSON keys are a contract for scripts.
public struct PluginSummary: Sendable, Hashable, Codable {
    /// The label, `file`.
    public let label: String
    /// The name, `Tandem File`.
    public let name: String
    /// The release, `1.0.0`.
    public let version: String
    /// Label → range of the plugins it requires, `{"core": ">=1.0.0, <2.0.0"}`.
    public let requires: [String: String]
    /// Its models.
    public let models: [ModelSummary]
    /// The identifiers of its migrations, in the order they apply (`file/0001_initial`).
    public let migrations: [String]

    /// One model a plugin registers.
    public struct ModelSummary: Sendable, Hashable, Codable {
        /// The Swift type's name, `FileRemote`.
        public let name: String
        /// Its own table, `file_fileremote`.
        public let table: String
        /// `master`, `detail` or `model`.
        public let kind: String
        /// `"<label>.<type>"` for masters and details, else nil.
        public let pulpType: String?
        /// The master's table for a detail, else nil.
        public let master: String?

        enum CodingKeys: String, CodingKey {
            case name, table, kind, pulpType = "pulp_type", master
        }
    }

    /// Describes `plugin`, with its migrations from `migrations` (those of its component).
    public init(_ plugin: any Plugin, migrations: MigrationSet?) {
        label = plugin.label
        name = plugin.name
        version = plugin.version.description
        requires = plugin.requires.mapValues(\.description)
        models = plugin.models.map(ModelSummary.init)
        self.migrations = migrations?.migrations(of: plugin.label).map(\.id.description) ?? []
    }
}

extension PluginSummary.ModelSummary {
    /// Describes one model type.
    init(_ model: any Model.Type) {
        name = "\(model)"
        table = model.tableName
        if let detail = model as? any DetailModel.Type {
            kind = "detail"
            pulpType = detail.pulpType
            master = detail.tableChain.first
        } else if let master = model as? any MasterModel.Type {
            kind = "master"
            pulpType = master.pulpType
            self.master = nil
        } else {
            kind = "model"
            pulpType = nil
            master = nil
        }
    }
}

extension Application {
    /// A summary of every plugin, in load order, with its migrations from `migrations`.
    public func summaries(migrations: MigrationSet?) -> [PluginSummary] {
        plugins.map { PluginSummary($0, migrations: migrations) }
    }
}
