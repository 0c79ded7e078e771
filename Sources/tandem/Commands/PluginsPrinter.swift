import Foundation
import TandemApp

/// One plugin as `tandem plugins` shows it: its summary, plus the tasks and the routes outside
/// `api/v3/` it registers (which the host's summary cannot know: they live in TandemTasks and
/// TandemHTTP).
struct PluginListing: Encodable {
    /// Label, name, version, requirements, models and migrations.
    let summary: PluginSummary
    /// The names of the tasks the plugin registers, sorted.
    let tasks: [String]
    /// The plugin's routes outside `api/v3/`, as `GET file/health/` (relative to `api_root`).
    let routes: [String]

    private enum CodingKeys: String, CodingKey {
        case tasks, routes
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(routes, forKey: .routes)
    }
}

/// The JSON form of `tandem plugins`.
struct PluginsJSON: Encodable {
    /// Every plugin, in load order.
    let plugins: [PluginListing]

    /// Keys sorted, pretty-printed.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// The text form of the plugins, for `tandem plugins` and the head of `tandem status`.
enum PluginsPrinter {
    /// One line per plugin; unless `brief`, its models and migrations below it, then `extras`.
    static func text(
        _ plugins: [PluginSummary], brief: Bool, extras: (PluginSummary) -> [String] = { _ in [] }
    ) -> String {
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
            lines += extras(plugin)
        }
        return lines.joined(separator: "\n")
    }

    /// The full listing of `tandem plugins`: ``text(_:brief:extras:)`` with each plugin's tasks and
    /// routes.
    static func text(_ listings: [PluginListing]) -> String {
        text(listings.map(\.summary), brief: false) { summary in
            listings.first { $0.summary.label == summary.label }.map(extras) ?? []
        }
    }

    private static func extras(_ listing: PluginListing) -> [String] {
        [
            "      tasks: " + (listing.tasks.isEmpty ? "none" : listing.tasks.joined(separator: ", ")),
            "      routes: " + (listing.routes.isEmpty ? "none" : listing.routes.joined(separator: ", ")),
        ]
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
