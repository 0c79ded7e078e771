/// The kinds of long-running process that register in `tandem_components`.
public enum ProcessKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An API server (`tandem serve`).
    case api
    /// A content server.
    case content
    /// A task worker (`tandem worker`).
    case worker

    /// The kind's name as the table stores it.
    public var description: String { rawValue }

    /// The setting that holds the kind's TTL in seconds: `process_ttl.worker`.
    public var ttlSettingKey: String { "process_ttl.\(rawValue)" }
}
