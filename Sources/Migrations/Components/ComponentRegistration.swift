import Foundation

/// What a process tells `tandem_components` about itself: what it is, where it runs and the
/// component versions it runs.
public struct ComponentRegistration: Sendable, Hashable {
    /// The row's identifier: a new UUID for each process start.
    public let id: String
    /// What kind of process it is (`api`, `worker`, …).
    public let kind: String
    /// The host it runs on.
    public let host: String
    /// Its process identifier.
    public let pid: Int
    /// Component name → version.
    public let versions: [String: SemanticVersion]

    /// Describes this process: a fresh identifier, this host's name and this process's pid.
    public init(
        kind: String, versions: [String: SemanticVersion], id: String = UUID().uuidString.lowercased(),
        host: String = ProcessInfo.processInfo.hostName, pid: Int = Int(ProcessInfo.processInfo.processIdentifier)
    ) {
        self.id = id
        self.kind = kind
        self.host = host
        self.pid = pid
        self.versions = versions
    }

    /// The versions as the JSON object the table stores, keys sorted.
    var versionsJSON: String {
        let object = versions.mapValues(\.description)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
