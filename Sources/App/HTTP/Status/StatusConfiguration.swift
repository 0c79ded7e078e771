/// What the status endpoint reports and how it decides which processes are online.
public struct StatusConfiguration: Sendable {
    /// The application's components.
    public var versions: [ComponentVersion]
    /// How long after its last heartbeat a process of each kind (`worker`, `api`, `content`)
    /// still counts as online; kinds not listed use ``defaultTTL``.
    public var ttl: [String: Duration]
    /// The time-to-live of kinds ``ttl`` does not list.
    public var defaultTTL: Duration
    /// The folder whose file system `storage` describes (the storage setting's folder), if any.
    public var storagePath: String?

    /// A configuration with Pulp's default time-to-live: 30 s for workers and content apps,
    /// 120 s for API apps.
    public init(
        versions: [ComponentVersion] = [],
        ttl: [String: Duration] = ["worker": .seconds(30), "api": .seconds(120), "content": .seconds(30)],
        defaultTTL: Duration = .seconds(30), storagePath: String? = nil
    ) {
        self.versions = versions
        self.ttl = ttl
        self.defaultTTL = defaultTTL
        self.storagePath = storagePath
    }

    /// The time-to-live of a kind.
    func ttl(of kind: String) -> Duration { ttl[kind] ?? defaultTTL }
}
