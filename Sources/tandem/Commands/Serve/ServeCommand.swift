import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemDatabase
import TandemHTTP
import TandemMigrations

/// `tandem serve`: runs the REST API until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the REST API (Pulp's API v3 shape) until SIGTERM or SIGINT.",
        discussion: """
            Refuses to start (exit 3) while migrations are pending: new code never serves a schema it \
            does not know. Registers an `api` process in tandem_components with heartbeats every third of \
            the process_ttl.api setting (TANDEM_PROCESS_TTL__API); two failed heartbeats in a row stop \
            it (exit 1). On SIGTERM or SIGINT it stops accepting connections, lets requests in flight \
            finish and removes its row.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: MigrationsDirectoryOption

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var bind = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The TCP port (0: any free port, printed at start).", valueName: "port"))
    var port = 24817

    @Option(name: .long, help: ArgumentHelp("The prefix of every API path.", valueName: "path"))
    var apiRoot = "/pulp/"

    @Option(name: .long, help: ArgumentHelp("The storage folder whose space the status reports.", valueName: "dir"))
    var storage: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long a verified Basic credential is remembered (0: check the password on every request).",
            valueName: "seconds"))
    var credentialTTL: Double = 60

    func validate() throws {
        guard credentialTTL >= 0 else { throw ValidationError("--credential-ttl must not be negative") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        var logger = Logger(label: "tandem.serve")
        logger.logLevel = .info
        let database = try self.database.open()
        defer { database.close() }
        let application = try ExampleApplication.assemble()
        let (set, _) = try directory.load(application)
        let pending = try await OffPool.run { try Self.pendingMigrations(database: database, migrations: set) }
        if !pending.isEmpty { throw ServeRefusal(pending: pending) }

        let server = ServerSetup(
            bind: bind, port: port, apiRoot: apiRoot, storage: storage,
            processTTLs: try application.loadSettings(file: nil, environment: ProcessInfo.processInfo.environment)
                .processTTLs(),
            credentialTTL: .milliseconds(Int64(credentialTTL * 1000)),
            application: application)
        try await server.run(database: database, logger: logger)
    }

    /// The migrations not yet applied, by name.
    static func pendingMigrations(database: Database, migrations set: MigrationSet) throws -> [String] {
        let status = try Migrator(database: database, migrations: set).status()
        return status.pending.map { "\($0.migration.id)" }
    }
}

/// `tandem serve` refused to start: migrations are pending.
struct ServeRefusal: Error, CustomStringConvertible {
    /// The pending migrations.
    let pending: [String]

    var description: String {
        "refusing to serve: \(pending.count) migration(s) pending: \(pending.joined(separator: ", ")); run `tandem migrate` first"
    }
}
