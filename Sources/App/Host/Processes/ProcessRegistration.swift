import Logging
import ServiceLifecycle
import TandemDatabase
import TandemMigrations

/// Keeps a long-running process (`api`, `content`, `worker`) registered in `tandem_components`
/// for as long as it runs, as a swift-service-lifecycle `Service`.
///
/// ```swift
/// let registration = ProcessRegistration(
///     database: database, configuration: ProcessConfiguration(kind: .api, ttls: ttls),
///     versions: application.versions, logger: logger)
/// try await registration.register()
/// let group = ServiceGroup(
///     services: [registration, server],   // registration first: it stops last
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// ``run()`` registers the process (kind, host, pid, plugin versions), removes the rows of
/// processes that stopped reporting, then reports every ``ProcessConfiguration/heartbeatInterval``
/// (a third of the kind's TTL) and cleans stale rows again after each report. On graceful
/// shutdown (or cancellation) it deletes its row and returns.
///
/// A heartbeat that gets no answer within the interval (a lock, a dead connection) counts as
/// failed; so does one that throws. When two heartbeats in a row fail, it throws ``ProcessRegistrationError/heartbeatLost(id:failures:)``:
/// the process must stop rather than go on unseen by the version gates of `migrate --breaking`.
/// With the group's default failure behaviour the other services are cancelled; give them
/// `.gracefullyShutdownGroup` to let them finish their work first.
///
/// Every database call goes through the async `Database` API. Give the registration a `Database`
/// of its own (one connection is enough), so that a pool busy with requests or tasks never delays
/// a heartbeat; and since a group starts its services together, call ``register()`` before
/// running the group, so the process never serves unseen.
public struct ProcessRegistration: Service {
    /// How many heartbeats in a row may fail before the process stops itself.
    public static let failuresBeforeStop = 2

    /// The row this process writes.
    public let registration: ComponentRegistration
    /// Its kind and the TTLs.
    public let configuration: ProcessConfiguration
    private let database: Database
    private let logger: Logger

    /// Describes this process (a fresh row id, this host, this pid) without touching the database.
    /// - Parameter versions: each plugin's release, as the version gates compare them.
    public init(
        database: Database, configuration: ProcessConfiguration, versions: [String: SemanticVersion],
        logger: Logger = Logger(label: "tandem.process")
    ) {
        self.database = database
        self.configuration = configuration
        self.registration = ComponentRegistration(kind: configuration.kind.rawValue, versions: versions)
        self.logger = logger
    }

    /// This process's row id in `tandem_components`.
    public var id: String { registration.id }

    /// Registers, reports until graceful shutdown, then deletes the row.
    /// - Throws: the database's error when the first registration fails, or
    ///   ``DeadlineExceeded`` when it gets no answer within the kind's TTL;
    ///   ``ProcessRegistrationError/heartbeatLost(id:failures:)`` after two failed heartbeats in
    ///   a row.
    public func run() async throws {
        try await register()
        logger.info(
            "registered \(registration.kind) process",
            metadata: ["id": "\(registration.id)", "pid": "\(registration.pid)"])
        await removeStaleRows()
        do {
            try await cancelWhenGracefulShutdown { try await self.reportUntilCancelled() }
        } catch is CancellationError {
            await unregister()
            return
        } catch {
            await unregister()
            throw error
        }
    }

    /// Writes this process's row now (creating the table if needed): call it before serving, so
    /// the process is never unseen; ``run()`` calls it again, which only refreshes the row.
    /// - Throws: the database's error, or ``DeadlineExceeded`` when there is no answer within the
    ///   kind's TTL.
    public func register() async throws {
        let registration = self.registration
        try await withDeadline(configuration.ttl) { [database] in
            try await database.withConnection { connection in
                try ComponentRegistry.createTable(on: connection)
                try ComponentRegistry.register(registration, on: connection)
            }
        }
    }

    /// Reports every interval; returns only by throwing (cancellation or a lost heartbeat).
    private func reportUntilCancelled() async throws {
        let registration = self.registration
        var failures = 0
        while true {
            try await Task.sleep(for: configuration.heartbeatInterval)
            do {
                try await withDeadline(configuration.heartbeatInterval) { [database] in
                    try await database.withConnection { try ComponentRegistry.beatOrRegister(registration, on: $0) }
                }
                failures = 0
            } catch {
                failures += 1
                logger.error(
                    "heartbeat failed (\(failures) in a row)",
                    metadata: ["id": "\(registration.id)", "error": "\(error)"])
                if failures >= Self.failuresBeforeStop {
                    throw ProcessRegistrationError.heartbeatLost(id: registration.id, failures: failures)
                }
                continue
            }
            await removeStaleRows()
        }
    }

    /// Deletes the rows of processes whose heartbeat is older than their kind's stale limit;
    /// a failure is logged and tried again at the next heartbeat.
    private func removeStaleRows() async {
        let (limits, id) = (configuration.staleLimits, registration.id)
        do {
            let removed = try await withDeadline(configuration.heartbeatInterval) { [database] in
                try await database.withConnection {
                    try ComponentRegistry.removeStale(olderThan: limits, keeping: id, on: $0)
                }
            }
            for record in removed {
                logger.notice(
                    "removed stale process \(record.label): no heartbeat for \(Int(record.heartbeatAge)) s",
                    metadata: ["id": "\(record.id)"])
            }
        } catch {
            logger.warning("could not remove stale processes", metadata: ["error": "\(error)"])
        }
    }

    /// Deletes this process's row; a failure is logged (the row then goes stale and the next
    /// process removes it).
    private func unregister() async {
        let id = registration.id
        do {
            try await withDeadline(configuration.heartbeatInterval) { [database] in
                try await database.withConnection { try ComponentRegistry.unregister(id: id, on: $0) }
            }
            logger.info("unregistered \(registration.kind) process", metadata: ["id": "\(id)"])
        } catch {
            logger.error("could not unregister this process", metadata: ["id": "\(id)", "error": "\(error)"])
        }
    }
}

/// Why a ``ProcessRegistration`` stopped its process.
public enum ProcessRegistrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The heartbeat failed `failures` times in a row: the gates can no longer see this process.
    case heartbeatLost(id: String, failures: Int)

    /// The message, for the process's last log line.
    public var description: String {
        switch self {
        case .heartbeatLost(let id, let failures):
            "heartbeat failed \(failures) times in a row; stopping so the process does not run unseen by the version gates (tandem_components id \(id))"
        }
    }
}
