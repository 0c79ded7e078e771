import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemHTTP
import TandemMigrations

/// `tandem serve [--migrate]`: runs the REST API until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the REST API (Pulp's API v3 shape) until SIGTERM or SIGINT.",
        discussion: """
            Refuses to start (exit 3) while migrations are pending: new code never serves a schema it \
            does not know. --migrate first applies the pending compatible migrations (the quick start: \
            `tandem serve --migrate` on the embedded default database), and still refuses, applying nothing, \
            while a breaking one is pending. The address, port and api_root come from the settings api.bind, \
            api.port and api_root; the flags override them. Registers an `api` process in tandem_components \
            with heartbeats every third of the process_ttl.api setting (TANDEM_PROCESS_TTL__API); two failed \
            heartbeats in a row stop it (exit 1). On SIGTERM or SIGINT it stops accepting connections, lets \
            requests in flight finish and removes its row. Exit codes: 0 stopped; 1 failed; 2 invalid flags or \
            settings; 3 migrations pending.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: MigrationsDirectoryOption
    @OptionGroup var settings: SettingsOptions

    @Flag(
        name: .long,
        help: "Apply pending compatible migrations before serving (refuses while a breaking one is pending).")
    var migrate = false

    @Option(name: .long, help: ArgumentHelp("The address to listen on (setting api.bind).", valueName: "address"))
    var bind: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The TCP port, 0 for any free port printed at start (setting api.port).", valueName: "port"))
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("The prefix of every API path (setting api_root).", valueName: "path"))
    var apiRoot: String?

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
        if let port, !BuiltInSettings.portRange.contains(port) {
            throw ValidationError("--port must be between 0 and 65535")
        }
        if let bind, bind.isEmpty { throw ValidationError("--bind must not be empty") }
        if let apiRoot, let problem = BuiltInSettings.urlPathProblem(apiRoot) {
            throw ValidationError("--api-root \(problem)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "tandem.serve")
        logger.logLevel = .info
        let application = try ExampleApplication.assemble()
        let host = try settings.loader().load()
        let address = ServeAddress(
            bind: try bind ?? host.string("api.bind"), port: try port ?? host.int("api.port"),
            apiRoot: try apiRoot ?? host.string("api_root"))
        let database = try self.database.open()
        defer { database.close() }
        let (set, _) = try directory.load(application)
        if migrate {
            let report = try await OffPool.run {
                try ServeMigration.applyCompatible(database: database, migrations: set)
            }
            if !report.applied.isEmpty {
                let names = report.applied.map(\.description).joined(separator: ", ")
                // Unbuffered, like the `listening on` line that follows it.
                FileHandle.standardOutput.write(
                    Data("tandem serve: applied \(report.applied.count) migration(s): \(names)\n".utf8))
            }
        }
        let pending = try await OffPool.run { try ServeMigration.pending(database: database, migrations: set) }
        if !pending.isEmpty { throw ServeRefusal(pending: pending) }

        let server = ServerSetup(
            bind: address.bind, port: address.port, apiRoot: address.apiRoot, storage: storage,
            processTTLs: try host.processTTLs(),
            credentialTTL: .milliseconds(Int64(credentialTTL * 1000)),
            application: application)
        try await server.run(database: database, logger: logger)
    }
}

/// Where `tandem serve` listens: the flags, else the settings.
struct ServeAddress {
    /// The address (`api.bind`).
    let bind: String
    /// The port (`api.port`).
    let port: Int
    /// The API's prefix (`api_root`).
    let apiRoot: String
}

/// `tandem serve` refused to start: migrations are pending.
struct ServeRefusal: Error, CustomStringConvertible {
    /// The pending migrations, each with its phase.
    let pending: [(id: String, breaking: Bool)]

    var description: String {
        let names = pending.map { $0.breaking ? "\($0.id) (breaking)" : $0.id }.joined(separator: ", ")
        let advice =
            pending.contains(where: \.breaking)
            ? "run `tandem migrate --breaking` once every live process meets its requires"
            : "run `tandem migrate` first, or `tandem serve --migrate`"
        return "refusing to serve: \(pending.count) migration(s) pending: \(names); \(advice)"
    }
}
