import ArgumentParser
import Foundation
import TandemApp

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
