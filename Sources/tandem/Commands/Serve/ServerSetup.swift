import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemHTTP
import TandemMigrations

/// What `tandem serve` runs: the API on Hummingbird beside an `api` ``ProcessRegistration`` in
/// one `ServiceGroup`, with graceful shutdown on SIGTERM and SIGINT.
struct ServerSetup {
    let bind: String
    let port: Int
    let apiRoot: String
    let storage: String?
    /// Every kind's heartbeat TTL (settings `process_ttl.*`): the API beats every third of `api`'s.
    let processTTLs: ProcessTTLs
    let credentialTTL: Duration
    /// The application whose plugins the API serves.
    let application: TandemApp.Application

    /// The versions the API reports and its heartbeat records: each plugin's release (what the
    /// gates of `migrate --breaking` compare). Tandem implements Pulp's REST API at the level
    /// pulp-cli 0.x needs (3.49); that level is its own field.
    static func versions(of plugins: [(label: String, version: SemanticVersion)]) -> [ComponentVersion] {
        plugins.map { plugin in
            ComponentVersion(
                component: plugin.label, version: plugin.version.description, package: "tandem",
                module: plugin.label == "core" ? "TandemApp" : "Tandem" + plugin.label.capitalized,
                pulpAPILevel: pulpAPILevel)
        }
    }

    /// The level of Pulp's REST API that Tandem's endpoints implement.
    static let pulpAPILevel = "3.49.0"

    /// Registers the `api` process, then serves until SIGTERM or SIGINT, lets requests in flight
    /// finish, removes the process's row and waits, at most the immediate time limit, for the ends
    /// of immediate tasks it still records (``TaskQueue/waitForEndsBeingRecorded(upTo:)``). Two
    /// failed heartbeats in a row stop the server: it throws
    /// ``ProcessRegistrationError/heartbeatLost(id:failures:)``.
    func run(database: Database, logger: Logger) async throws {
        let plugins = application.plugins.map { (label: $0.label, version: $0.version) }
        var api = try API(
            application: application, database: database, configuration: APIConfiguration(apiRoot: apiRoot))
        api.status = StatusConfiguration(versions: Self.versions(of: plugins), storagePath: storage)
        api.authentication = AuthenticationConfiguration(credentialTTL: credentialTTL)
        let tasks = try TaskEnvironment.queue(database)
        api.tasks = tasks

        let versions = Dictionary(plugins.map { ($0.label, $0.version) }, uniquingKeysWith: { first, _ in first })
        let registrationDatabase = try ProcessRegistration.database(beside: database)
        defer { if registrationDatabase !== database { registrationDatabase.close() } }
        let registration = ProcessRegistration(
            database: registrationDatabase, configuration: ProcessConfiguration(kind: .api, ttls: processTTLs),
            versions: versions, logger: logger)
        // Registered before it listens, so it never serves unseen by the gates.
        try await registration.register()
        let base = api.configuration.apiBase
        let app = Hummingbird.Application(
            router: api.router(),
            configuration: ApplicationConfiguration(address: .hostname(bind, port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                // Scripts and tests wait for this line (and read the port when --port 0).
                // Unbuffered, so a reader of a redirected stdout sees it at once.
                FileHandle.standardOutput.write(Data("tandem serve: listening on http://\(bind):\(port)\(base)\n".utf8))
            },
            logger: logger
        )
        // The registration first: a group stops its services in reverse order, so the row goes
        // only once requests in flight have finished.
        let group = ServiceGroup(
            services: [registration, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        let stopped: Result<Void, any Error>
        do {
            try await group.run()
            stopped = .success(())
        } catch {
            stopped = .failure(error)
        }
        // Immediate tasks whose ends met a busy database are still being recorded: the process
        // waits for them, as long as their callers did, so they are not marked failed once it is
        // gone.
        await tasks.waitForEndsBeingRecorded(upTo: tasks.settings.immediateTimeLimit)
        try stopped.get()
        print("tandem serve: stopped")
    }
}
