import Foundation

/// The rule `tandem migrate --breaking` enforces: every live process that runs a component a
/// breaking migration `requires` must run at least the required version.
///
/// Stale processes (last heartbeat older than the timeout) do not count; a live process that
/// does not run the required component at all does not block; versions compare as semantic
/// versions, and a version that is not one blocks, since it cannot be shown to be new enough.
public enum VersionGate {
    /// The live processes that block `migration`, each with the requirements it fails; empty
    /// when the migration may run.
    public static func blockers(
        for migration: Migration, components: [ComponentRecord], heartbeatTimeout: Duration
    ) -> [GateBlocker] {
        guard !migration.requires.isEmpty else { return [] }
        return components.filter { $0.isLive(timeout: heartbeatTimeout) }.compactMap { component in
            let failures = migration.requires.sorted { $0.key < $1.key }.compactMap { name, required -> GateFailure? in
                guard let running = component.versions[name] else { return nil }
                if let version = SemanticVersion(running), version >= required { return nil }
                return GateFailure(component: name, required: required, running: running)
            }
            return failures.isEmpty ? nil : GateBlocker(migration: migration.id, process: component, failures: failures)
        }
    }
}

/// A live process that blocks a breaking migration.
public struct GateBlocker: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The migration it blocks.
    public let migration: MigrationID
    /// The process.
    public let process: ComponentRecord
    /// The requirements it fails.
    public let failures: [GateFailure]

    /// Creates a blocker.
    public init(migration: MigrationID, process: ComponentRecord, failures: [GateFailure]) {
        self.migration = migration
        self.process = process
        self.failures = failures
    }

    /// `api on web-1 (pid 4242), runs core 3.0.0, file 1.10.0, heartbeat 3s ago: core 3.0.0 < required 3.1.0`.
    public var description: String {
        let age =
            process.heartbeatAge < 10 ? String(format: "%.1f", process.heartbeatAge) : String(Int(process.heartbeatAge))
        return "\(process.label), runs \(process.versionList), heartbeat \(age)s ago: "
            + failures.map(\.description).joined(separator: "; ")
    }
}

/// One requirement a process fails.
public struct GateFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The required component.
    public let component: String
    /// The version the migration requires at least.
    public let required: SemanticVersion
    /// The version the process runs, as it reported it.
    public let running: String

    /// Creates a failure.
    public init(component: String, required: SemanticVersion, running: String) {
        self.component = component
        self.required = required
        self.running = running
    }

    /// `core 3.0.0 < required 3.1.0`, or `core 'x' is not a semantic version, required 3.1.0`.
    public var description: String {
        SemanticVersion(running) == nil
            ? "\(component) '\(running)' is not a semantic version, required \(required)"
            : "\(component) \(running) < required \(required)"
    }
}
