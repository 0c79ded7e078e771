import Foundation
import TandemApp

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
