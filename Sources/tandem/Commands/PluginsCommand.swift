import ArgumentParser
import Foundation
import TandemApp
import TandemHTTP
import TandemTasks

/// `tandem plugins [--json]`: the application's plugins, their versions and what they register.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract:
            "List the application's plugins: labels, names, versions, required plugins, models, migrations, tasks and routes.",
        discussion: """
            Needs no database. `--json` prints {"plugins": [...]}, each plugin with label, name, version, \
            requires, models (name, table, kind, pulp_type, master), migrations, tasks (names) and routes \
            (`METHOD path`, relative to api_root, `(open)` when no login is needed); the keys are a contract. \
            Exit codes: 0 done; 2 plugins that conflict, or invalid migration files.
            """
    )

    @Flag(name: .long, help: "Print JSON, for scripts.")
    var json = false

    func run() throws {
        let application = try ExampleApplication.assemble()
        let (set, _) = try application.loadMigrations()
        let tasks = try TaskEnvironment.checkedRegistry().definitions.values
        let routes = Dictionary(
            API.plugins(of: application).map { plugin in
                (
                    plugin.label,
                    plugin.routes.map { "\($0.method) \($0.path)" + ($0.requiresAuthentication ? "" : " (open)") }
                )
            }, uniquingKeysWith: { first, _ in first })
        let listings = application.summaries(migrations: set).map { summary in
            PluginListing(
                summary: summary, tasks: tasks.filter { $0.owner.plugin == summary.label }.map(\.name).sorted(),
                routes: routes[summary.label] ?? [])
        }
        print(json ? try PluginsJSON(plugins: listings).json() : PluginsPrinter.text(listings))
    }
}
