import ArgumentParser
import TandemMigrations

/// `tandem status [--json]`: applied and pending migrations, registered processes, blocked gates.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show applied and pending migrations, live and stale processes, blocked gates and backfill progress.",
        discussion: """
            Reads only; takes no lock. `--json` prints one object whose keys are a contract: dialect, \
            heartbeat_timeout_s, applied, pending, components, blocked_gates and backfills (see the README).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: MigrationsDirectoryOption
    @OptionGroup var gate: GateOptions

    @Flag(name: .long, help: "Print JSON, for scripts and monitoring.")
    var json = false

    func run() throws {
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        let (set, _) = try Lint.load(directory: directory.migrations)
        let migrator = Migrator(
            database: database, migrations: set, settings: MigrationSettings(heartbeatTimeout: gate.timeout))
        let status = try migrator.status()
        print(json ? try status.json() : StatusPrinter.text(status, database: "\(database.url)"))
    }
}
