import Logging
import Synchronization
import TandemDatabase

/// A process's registration in `tandem_components`, kept fresh by a task that reports on an
/// interval until ``stop()`` removes the row.
///
/// ```swift
/// let heartbeat = try await Heartbeat.start(
///     database: database, kind: "api", versions: ["core": "3.1.0", "file": "1.10.0"], interval: .seconds(10))
/// // … serve …
/// try await heartbeat.stop()
/// ```
///
/// A process that dies without stopping leaves its row behind; it stops counting once its last
/// heartbeat is older than the gate's heartbeat timeout (``MigrationSettings/heartbeatTimeout``),
/// which should be a few intervals long.
public final class Heartbeat: Sendable {
    /// What this process registered.
    public let registration: ComponentRegistration
    /// How often it reports.
    public let interval: Duration
    private let database: Database
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    private init(database: Database, registration: ComponentRegistration, interval: Duration, logger: Logger) {
        self.database = database
        self.registration = registration
        self.interval = interval
        self.logger = logger
    }

    /// Registers this process (creating the table if needed) and starts reporting every `interval`.
    ///
    /// - Throws: the ``TandemDatabase/DatabaseError`` of the first registration; later failed
    ///   heartbeats are logged and retried at the next interval.
    public static func start(
        database: Database, kind: String, versions: [String: SemanticVersion], interval: Duration = .seconds(10),
        logger: Logger = Logger(label: "tandem.heartbeat")
    ) async throws -> Heartbeat {
        try await start(
            database: database, registration: ComponentRegistration(kind: kind, versions: versions),
            interval: interval, logger: logger)
    }

    /// Registers a prepared registration and starts reporting every `interval`.
    public static func start(
        database: Database, registration: ComponentRegistration, interval: Duration = .seconds(10),
        logger: Logger = Logger(label: "tandem.heartbeat")
    ) async throws -> Heartbeat {
        precondition(interval > .zero, "a heartbeat interval must be positive")
        try await database.withConnection { connection in
            try ComponentRegistry.createTable(on: connection)
            try ComponentRegistry.register(registration, on: connection)
        }
        let heartbeat = Heartbeat(database: database, registration: registration, interval: interval, logger: logger)
        heartbeat.task.withLock { $0 = Task { await heartbeat.run() } }
        return heartbeat
    }

    /// Reports once now, outside the interval.
    public func beat() async throws {
        let registration = self.registration
        try await database.withConnection { try ComponentRegistry.beatOrRegister(registration, on: $0) }
    }

    /// Stops reporting and removes this process's row: a clean stop.
    public func stop() async throws {
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
        let id = registration.id
        try await database.withConnection { try ComponentRegistry.unregister(id: id, on: $0) }
    }

    private func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await beat()
            } catch {
                logger.warning(
                    "heartbeat failed; retrying in \(interval)",
                    metadata: ["id": "\(registration.id)", "error": "\(error)"])
            }
        }
    }
}
