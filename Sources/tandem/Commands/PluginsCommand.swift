import ArgumentParser
import Foundation
import TandemApp
import TandemMigrations

/// `tandem plugins [--json]`: the application's plugins, their versions and what they register.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the application's plugins: labels, names, versions, required plugins, models and migrations.",
        discussion: """
            Needs no database. `--json` prints {"plugins": [...]}, each plugin with label, name, version, \
            requires, models (name, table, kind, pulp_type, master) and migrations; the keys are a contract. \
            Exit codes: 0 done; 2 plugins that conflict, or invalid migration files.
            """
    )

    @Flag(name: .long, help: "Print JSON, for scripts.")
    var json = false

    func run() throws {
        let application = try ExampleApplication.assemble()
        let (set, _) = try application.loadMigrations()
        let plugins = application.summaries(migrations: set)
        print(json ? try PluginsJSON(plugins: plugins).json() : PluginsPrinter.text(plugins, brief: false))
    }
}

/// The JSON form of `tandem plugins`.
struct PluginsJSON: Encodable {
    /// Every plugin, in load order.
    let plugins: [PluginSummary]

    /// Keys sorted, pretty-printed.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

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

/// The text form of the plugins, for `tandem plugins` and the head of `tandem status`.
enum PluginsPrinter {
    /// One line per plugin; unless `brief`, its models and migrations below it.
    static func text(_ plugins: [PluginSummary], brief: Bool) -> String {
        var lines = ["plugins: \(plugins.count)"]
        for plugin in plugins {
            let requires = plugin.requires.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append(
                "  \(pad(plugin.label, 12)) \(pad(plugin.version, 10)) \(plugin.name)"
                    + (requires.isEmpty ? "" : "  (requires \(requires.joined(separator: "; ")))"))
            guard !brief else { continue }
            for model in plugin.models {
                let type = model.pulpType.map { "  pulp_type \($0)" } ?? ""
                let master = model.master.map { " of \($0)" } ?? ""
                lines.append("      \(pad(model.name, 20)) \(pad(model.table, 24)) \(model.kind)\(master)\(type)")
            }
            lines.append(
                "      migrations: "
                    + (plugin.migrations.isEmpty ? "none" : plugin.migrations.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
