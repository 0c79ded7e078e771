import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemHTTP
import TandemMigrations

/// What `tandem serve` runs: the API on Hummingbird, an `api` heartbeat, graceful shutdown.
struct ServerSetup {
    let bind: String
    let port: Int
    let apiRoot: String
    let storage: String?
    let heartbeatInterval: Duration
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

    /// Serves until SIGTERM or SIGINT, then lets requests in flight finish and removes the
    /// process's row.
    func run(database: Database, logger: Logger) async throws {
        let plugins = application.plugins.map { (label: $0.label, version: $0.version) }
        var api = try API(
            application: application, database: database, configuration: APIConfiguration(apiRoot: apiRoot))
        api.status = StatusConfiguration(versions: Self.versions(of: plugins), storagePath: storage)
        api.authentication = AuthenticationConfiguration(credentialTTL: credentialTTL)
        api.tasks = try TaskEnvironment.queue(database)

        let versions = Dictionary(plugins.map { ($0.label, $0.version) }, uniquingKeysWith: { first, _ in first })
        let heartbeat = try await Heartbeat.start(
            database: database, kind: "api", versions: versions, interval: heartbeatInterval, logger: logger)
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
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            try? await heartbeat.stop()
            throw error
        }
        try await heartbeat.stop()
        print("tandem serve: stopped")
    }
}
