import Foundation

/// One row of `tandem_components`: a running process, the component versions it runs, and how
/// long ago it last reported.
public struct ComponentRecord: Sendable, Hashable, Codable {
    /// The row's identifier, a UUID chosen by the process when it registered.
    public let id: String
    /// What kind of process it is (`api`, `worker`, …).
    public let kind: String
    /// The host it runs on.
    public let host: String
    /// Its process identifier on that host.
    public let pid: Int
    /// Component name → version, as the process reported them (not necessarily valid versions:
    /// other tools may write the table too).
    public let versions: [String: String]
    /// When it registered, by the database's clock.
    public let startedAt: Date
    /// When it last reported, by the database's clock.
    public let lastHeartbeat: Date
    /// Seconds since the last heartbeat, measured by the database's clock, so the clocks of the
    /// machines involved do not matter.
    public let heartbeatAge: Double

    /// Creates a record; ``ComponentRegistry/components(on:)`` reads these.
    public init(
        id: String, kind: String, host: String, pid: Int, versions: [String: String], startedAt: Date,
        lastHeartbeat: Date, heartbeatAge: Double
    ) {
        self.id = id
        self.kind = kind
        self.host = host
        self.pid = pid
        self.versions = versions
        self.startedAt = startedAt
        self.lastHeartbeat = lastHeartbeat
        self.heartbeatAge = heartbeatAge
    }

    /// Whether the process still counts: its last heartbeat is younger than `timeout`.
    public func isLive(timeout: Duration) -> Bool {
        heartbeatAge < timeout.timeInterval
    }

    /// `api on web-1 (pid 4242)`, for messages.
    public var label: String { "\(kind) on \(host) (pid \(pid))" }

    /// `core 3.1.0, file 1.10.0`, sorted by component.
    public var versionList: String {
        versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up so a short positive duration stays positive.
    var milliseconds: Int64 {
        components.seconds * 1000 + (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
