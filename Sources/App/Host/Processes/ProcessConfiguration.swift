/// How long each kind of process may go without a heartbeat before it stops counting (settings
/// `process_ttl.api`, `process_ttl.content`, `process_ttl.worker`, in seconds).
public struct ProcessTTLs: Sendable, Hashable {
    /// pulpcore's defaults: API servers 120 s, content servers and workers 30 s.
    public static let defaults = try! ProcessTTLs(api: .seconds(120), content: .seconds(30), worker: .seconds(30))

    /// The API servers' TTL.
    public let api: Duration
    /// The content servers' TTL.
    public let content: Duration
    /// The workers' TTL.
    public let worker: Duration

    /// TTLs for each kind.
    /// - Throws: ``ProcessConfigurationError`` naming the setting of the first TTL that is not
    ///   positive.
    public init(api: Duration, content: Duration, worker: Duration) throws(ProcessConfigurationError) {
        for (kind, ttl) in [(ProcessKind.api, api), (.content, content), (.worker, worker)] where ttl <= .zero {
            throw ProcessConfigurationError(
                setting: kind.ttlSettingKey, problem: "must be a positive number of seconds")
        }
        self.api = api
        self.content = content
        self.worker = worker
    }

    /// The TTL of one kind.
    public func ttl(for kind: ProcessKind) -> Duration {
        switch kind {
        case .api: api
        case .content: content
        case .worker: worker
        }
    }
}

/// What a long-running process needs to register and keep its heartbeat.
///
/// ```swift
/// let configuration = ProcessConfiguration(kind: .worker, ttls: try ProcessTTLs(
///     api: .seconds(120), content: .seconds(30), worker: .seconds(30)))
/// configuration.heartbeatInterval   // 10 s: a third of the worker TTL
/// ```
public struct ProcessConfiguration: Sendable, Hashable {
    /// How much older than its kind's TTL a row must be before another process deletes it, as a
    /// share of the TTL: a row is stale at 1.5 × TTL, so a process that is merely late (a long
    /// pause, a slow database) is not removed the moment the gates stop counting it.
    public static let staleMarginShare = 0.5

    /// This process's kind.
    public let kind: ProcessKind
    /// Every kind's TTL: this process cleans other kinds' stale rows too.
    public let ttls: ProcessTTLs

    /// A configuration for a process of `kind`.
    public init(kind: ProcessKind, ttls: ProcessTTLs = .defaults) {
        self.kind = kind
        self.ttls = ttls
    }

    /// This process's TTL.
    public var ttl: Duration { ttls.ttl(for: kind) }

    /// How often it reports: a third of its TTL, so one late heartbeat never makes it look gone.
    public var heartbeatInterval: Duration { ttl / 3 }

    /// The heartbeat age past which a row of each kind is deleted as stale: TTL × 1.5.
    public var staleLimits: [String: Duration] {
        Dictionary(
            uniqueKeysWithValues: ProcessKind.allCases.map {
                ($0.rawValue, ttls.ttl(for: $0) * (1 + Self.staleMarginShare))
            })
    }
}

/// A process setting has a value the registry cannot use.
public struct ProcessConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting's key (`process_ttl.worker`).
    public let setting: String
    /// What is wrong with it.
    public let problem: String

    /// `process_ttl.worker: must be a positive number of seconds`.
    public var description: String { "\(setting): \(problem)" }
}
