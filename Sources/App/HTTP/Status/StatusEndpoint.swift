import Foundation
import Logging
import TandemDatabase
import TandemMigrations
import TandemORM

/// Builds the body of `<api_root>api/v3/status/`: versions, the online processes of each kind
/// from `tandem_components`, whether the database answers, and the storage folder's space.
struct StatusEndpoint: Sendable {
    let configuration: StatusConfiguration
    let database: Database

    /// The status object. A database that does not answer is reported, not thrown.
    func status(logger: Logger) async -> JSONValue {
        var components: [ComponentRecord] = []
        var connected = true
        do {
            components = try await database.withConnection { connection in
                _ = try connection.query("SELECT 1 AS ok")
                return try ComponentRegistry.components(on: connection)
            }
        } catch {
            logger.warning("status: the database did not answer: \(String(describing: error))")
            connected = false
        }
        func online(_ kind: String) -> JSONValue {
            let ttl = configuration.ttl(of: kind)
            return .array(
                components.filter { $0.kind == kind && $0.isLive(timeout: ttl) }.map { record in
                    .object([
                        "name": .string("\(record.pid)@\(record.host)"),
                        "last_heartbeat": .string(
                            record.lastHeartbeat.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
                        "versions": .object(record.versions.mapValues { .string($0) }),
                    ])
                })
        }
        return .object([
            "versions": .array(configuration.versions.map(Self.describe)),
            "online_workers": online("worker"),
            "online_api_apps": online("api"),
            "online_content_apps": online("content"),
            "database_connection": .object(["connected": .bool(connected)]),
            "redis_connection": .object(["connected": .bool(false)]),
            "storage": storage(),
            "domain_enabled": .bool(false),
        ])
    }

    private static func describe(_ version: ComponentVersion) -> JSONValue {
        .object([
            "component": .string(version.component), "version": .string(version.version),
            "package": .string(version.package), "module": .string(version.module),
            "domain_compatible": .bool(version.domainCompatible),
            "pulp_api_level": version.pulpAPILevel.map { .string($0) } ?? .null,
        ])
    }

    /// Total, used and free bytes of the storage folder's file system; null without a folder or
    /// when the folder cannot be read.
    private func storage() -> JSONValue {
        guard let path = configuration.storagePath,
            let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path),
            let total = (attributes[.systemSize] as? NSNumber)?.int64Value,
            let free = (attributes[.systemFreeSize] as? NSNumber)?.int64Value
        else { return .null }
        return .object(["total": .integer(total), "used": .integer(total - free), "free": .integer(free)])
    }
}
