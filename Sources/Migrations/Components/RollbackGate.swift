import Foundation

/// The rule `tandem migrate --to` enforces before it undoes a migration: no live process may run
/// a release of the migration's component that ships it (at least its `release`), since such a
/// process may use what the migration added. A version that is not a semantic version blocks,
/// since it cannot be shown to be older; stale processes do not count.
public enum RollbackGate {
    /// The live processes that need `migration`; empty when it may be undone.
    public static func blockers(
        for migration: Migration, components: [ComponentRecord], heartbeatTimeout: Duration
    ) -> [RollbackBlocker] {
        components.filter { $0.isLive(timeout: heartbeatTimeout) }.compactMap { component in
            guard let running = component.versions[migration.id.component] else { return nil }
            if let version = SemanticVersion(running), version < migration.release { return nil }
            return RollbackBlocker(
                migration: migration.id, release: migration.release, process: component, running: running)
        }
    }
}

/// A live process that runs a release shipping a migration `--to` would undo.
public struct RollbackBlocker: Sendable, Hashable, CustomStringConvertible {
    /// The migration it needs.
    public let migration: MigrationID
    /// The release that ships the migration.
    public let release: SemanticVersion
    /// The process.
    public let process: ComponentRecord
    /// The version of the migration's component it runs, as it reported it.
    public let running: String

    /// Creates a blocker.
    public init(migration: MigrationID, release: SemanticVersion, process: ComponentRecord, running: String) {
        self.migration = migration
        self.release = release
        self.process = process
        self.running = running
    }

    /// `api on web-1 (pid 4242), runs app 1.1.0, heartbeat 3s ago: app 1.1.0 ships it (since 1.1.0)`.
    public var description: String {
        let age =
            process.heartbeatAge < 10 ? String(format: "%.1f", process.heartbeatAge) : String(Int(process.heartbeatAge))
        return "\(process.label), runs \(process.versionList), heartbeat \(age)s ago: "
            + "\(migration.component) \(running) ships it (since \(release))"
    }
}
