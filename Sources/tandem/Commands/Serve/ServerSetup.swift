import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
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

    /// The versions the API reports. Tandem implements Pulp's REST API at the level pulp-cli
    /// 0.x needs (3.49); that level is its own field, and `version` stays Tandem's release.
    static let versions = [
        ComponentVersion(
            component: "core", version: tandemVersion, package: "tandem", module: "TandemHTTP",
            pulpAPILevel: pulpAPILevel),
        ComponentVersion(
            component: "file", version: tandemVersion, package: "tandem", module: "TandemFile",
            pulpAPILevel: pulpAPILevel),
    ]

    /// The level of Pulp's REST API that Tandem's endpoints implement.
    static let pulpAPILevel = "3.49.0"

    /// Serves until SIGTERM or SIGINT, then lets requests in flight finish and removes the
    /// process's row.
    func run(database: Database, logger: Logger) async throws {
        var api = API(database: database, configuration: APIConfiguration(apiRoot: apiRoot))
        api.status = StatusConfiguration(versions: Self.versions, storagePath: storage)
        api.authentication = AuthenticationConfiguration(credentialTTL: credentialTTL)
        try registerExampleResources(in: &api)

        var versions: [String: SemanticVersion] = [:]
        for component in Self.versions {
            guard let version = SemanticVersion(component.version) else {
                preconditionFailure("\(component.component)'s release \(component.version) is not a semantic version")
            }
            versions[component.component] = version
        }
        let heartbeat = try await Heartbeat.start(
            database: database, kind: "api", versions: versions, interval: heartbeatInterval, logger: logger)
        let base = api.configuration.apiBase
        let app = Application(
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
