import Foundation
import TandemApp
import TandemMigrations

/// `tandem status --json`: the migrator's status object with a `plugins` key added.
struct StatusJSON: Encodable {
    /// The migrations, processes, gates and backfills.
    let status: MigrationStatus
    /// The application's plugins.
    let plugins: [PluginSummary]

    private enum CodingKeys: String, CodingKey { case plugins }

    func encode(to encoder: any Encoder) throws {
        try status.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plugins, forKey: .plugins)
    }

    /// Keys sorted, pretty-printed, timestamps in ISO 8601, as ``MigrationStatus/json()``.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
