import ArgumentParser
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemMigrations

/// A long-running process for the runtime tests: it registers in `tandem_components` through
/// ``ProcessRegistration`` and runs until SIGTERM/SIGINT, as `tandem serve` and `tandem worker`
/// will, so tests can stop it gracefully, kill it with SIGKILL or take its database away.
@main
struct ProcessFixture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem-process-fixture", abstract: "Registers a process and heartbeats until stopped.")

    @Option(help: "The database URL.")
    var database: String

    @Option(help: "The process kind: api, content or worker.")
    var kind: String

    @Option(help: "Every kind's TTL in seconds.")
    var ttl: Double

    @Option(name: .customLong("version"), help: "A plugin version, name=version; repeatable.")
    var versions: [String] = []

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "tandem.process")
        logger.logLevel = .info
        guard let kind = ProcessKind(rawValue: kind) else { throw ValidationError("unknown kind \(kind)") }
        var parsed: [String: SemanticVersion] = [:]
        for pair in versions {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let version = SemanticVersion(parts[1]) else {
                throw ValidationError("bad --version \(pair)")
            }
            parsed[parts[0]] = version
        }
        let ttl = Duration.milliseconds(Int64(self.ttl * 1000))
        let database = try Database(url: try DatabaseURL(self.database), logger: logger)
        defer { database.close() }
        let registration = ProcessRegistration(
            database: database,
            configuration: ProcessConfiguration(kind: kind, ttls: try ProcessTTLs(api: ttl, content: ttl, worker: ttl)),
            versions: parsed, logger: logger)
        try await registration.register()
        let group = ServiceGroup(
            services: [registration], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
