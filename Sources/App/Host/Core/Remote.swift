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

    /// The API's defaults for fields a client leaves out: immediate policy, certificates checked.
    public static var serializerDefaults: [String: JSONValue] {
        ["policy": .string("immediate"), "tls_validation": .bool(true)]
    }

    /// The times the server keeps; a client's values are ignored.
    public static var readOnlyFields: Set<String> { ["pulp_created", "pulp_last_updated"] }

    /// A name, a URL (http or https with a host, or a file URL), a known policy and a positive
    /// concurrency; the messages are Django REST framework's, translatable.
    public func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add(LocalizableMessage.blank, field: "name") }
        if !Self.isValidURL(url) { errors.add(LocalizableMessage.invalidURL, field: "url") }
        if !Self.policies.contains(policy) { errors.add(LocalizableMessage.invalidChoice(policy), field: "policy") }
        if let downloadConcurrency, downloadConcurrency < 1 {
            errors.add(LocalizableMessage.minimum(1), field: "download_concurrency")
        }
    }

    /// Whether `text` is an http(s) URL with a host, or a file URL with a path, as Pulp's remotes
    /// accept.
    public static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        if scheme == "file" { return !url.path.isEmpty }
        return ["http", "https"].contains(scheme) && !(url.host ?? "").isEmpty
    }
}
