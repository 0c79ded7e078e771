import ArgumentParser
import TandemApp
import TandemMigrations

/// `tandem status [--json]`: applied and pending migrations, registered processes, blocked gates.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied and pending migrations, live and stale processes, blocked gates and backfill progress.",
        discussion: """
            Reads only; takes no lock. `--json` prints one object whose keys are a contract: dialect, \
            heartbeat_timeout_s, applied, pending, components, blocked_gates, backfills and plugins (see the README).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: MigrationsDirectoryOption
    @OptionGroup var gate: GateOptions

    @Flag(name: .long, help: "Print JSON, for scripts and monitoring.")
    var json = false

    func run() throws {
        let application = try ExampleApplication.assemble()
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        let (set, _) = try directory.load(application)
        let migrator = Migrator(
            database: database, migrations: set, settings: MigrationSettings(heartbeatTimeout: gate.timeout))
        let status = try migrator.status()
        let plugins = application.summaries(migrations: set)
        print(
            json
                ? try StatusJSON(status: status, plugins: plugins).json()
                : PluginsPrinter.text(plugins, brief: true) + "\n\n"
                    + StatusPrinter.text(status, database: "\(database.url)"))
    }
}
