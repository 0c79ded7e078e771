import Foundation
import TandemORM

/// Where content is fetched from (pulpcore's `Remote`): the master of every plugin's remotes,
/// table `core_remote`. A plugin's remote is a `DetailModel` whose `parent` is a
/// `Remote`.
public struct Remote: MasterModel, Equatable {
    /// `core_remote`.
    public static let tableName = "core_remote"
    /// `core`.
    public static let appLabel = "core"
    /// `remote`: a master row created directly is `core.remote`.
    public static let typeName = "remote"

    /// The primary key.
    public var pulpID: UUID
    /// The row's most derived type, `"<plugin>.<type>"`; set on insert.
    public var pulpType = ""
    /// When the row was created.
    public var pulpCreated: Date
    /// When the row was last changed, if ever.
    public var pulpLastUpdated: Date?
    /// A unique name.
    public var name: String
    /// The URL content is fetched from.
    public var url: String
    /// A PEM certificate the server's must chain to, if not the system's.
    public var caCert: String?
    /// Whether the server's certificate is checked.
    public var tlsValidation: Bool
    /// How many downloads run at once; the host's default when nil.
    public var downloadConcurrency: Int?
    /// `immediate`, `on_demand` or `streamed`.
    public var policy: String
    /// Seconds a download may take in all; no limit when nil.
    public var totalTimeout: Double?

    /// A remote with the reference's defaults: immediate policy, certificates checked.
    public init(
        name: String, url: String, pulpID: UUID = UUID(), pulpCreated: Date = Date(), policy: String = "immediate",
        tlsValidation: Bool = true, caCert: String? = nil, downloadConcurrency: Int? = nil,
        totalTimeout: Double? = nil
    ) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.name = name
        self.url = url
        self.policy = policy
        self.tlsValidation = tlsValidation
        self.caCert = caCert
        self.downloadConcurrency = downloadConcurrency
        self.totalTimeout = totalTimeout
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, url, caCert = "ca_cert", tlsValidation = "tls_validation"
        case downloadConcurrency = "download_concurrency", policy, totalTimeout = "total_timeout"
    }

    /// The policies a remote can have.
    public static let policies: Set<String> = ["immediate", "on_demand", "streamed"]

    /// A name, an http(s) URL, a known policy and a positive concurrency.
    public func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("must not be empty", field: "name") }
        if !(url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("file://")) {
            errors.add("must start with http://, https:// or file://", field: "url")
        }
        if !Self.policies.contains(policy) {
            errors.add("must be one of immediate, on_demand, streamed", field: "policy")
        }
        if let downloadConcurrency, downloadConcurrency < 1 {
            errors.add("must be at least 1", field: "download_concurrency")
        }
    }
}
