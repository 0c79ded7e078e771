import Foundation
import TandemHTTP
import TandemORM

// The example application's remotes and repositories as `tandem serve` shows them, over the
// tables of migrations/core and migrations/file. They stand in for the core and file plugins'
// own models (TandemApp, TandemFile) until those adopt APIResource; this file is the one place to
// swap.

/// pulpcore's Remote master (`core_remote`).
struct ExampleRemote: MasterModel, APIResource {
    static let tableName = "core_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var pulpID = UUID()
    var pulpType = ""
    var pulpCreated = Date()
    var pulpLastUpdated: Date? = nil
    var name: String
    var url: String
    var caCert: String? = nil
    var tlsValidation = true
    var downloadConcurrency: Int? = nil
    var policy = "immediate"
    var totalTimeout: Double? = nil

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, url, caCert = "ca_cert", tlsValidation = "tls_validation"
        case downloadConcurrency = "download_concurrency", policy, totalTimeout = "total_timeout"
    }

    static var readOnlyFields: Set<String> { ["pulp_created", "pulp_last_updated"] }
    static var serializerDefaults: [String: JSONValue] {
        ["policy": .string("immediate"), "tls_validation": .bool(true)]
    }

    func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("This field may not be blank.", field: "name") }
        if !Self.isValidURL(url) { errors.add("Enter a valid URL.", field: "url") }
        if !["immediate", "on_demand", "streamed"].contains(policy) {
            errors.add("\"\(policy)\" is not a valid choice.", field: "policy")
        }
        if let downloadConcurrency, downloadConcurrency < 1 {
            errors.add("Ensure this value is greater than or equal to 1.", field: "download_concurrency")
        }
    }

    /// An http(s) URL with a host, or a file URL, as Pulp's remotes accept.
    static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        if scheme == "file" { return !url.path.isEmpty }
        return ["http", "https"].contains(scheme) && !(url.host ?? "").isEmpty
    }

    mutating func keepStoredFields(of stored: ExampleRemote) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
        pulpLastUpdated = Date()
    }
}

/// pulp_file's FileRemote (`file_fileremote`).
struct ExampleFileRemote: DetailModel, APIResource {
    static let tableName = "file_fileremote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: ExampleRemote

    static var serializerDefaults: [String: JSONValue] { ExampleRemote.serializerDefaults }
}

/// pulpcore's Repository master (`core_repository`).
struct ExampleRepository: MasterModel, APIResource {
    static let tableName = "core_repository"
    static let appLabel = "core"
    static let typeName = "repository"
    var pulpID = UUID()
    var pulpType = ""
    var pulpCreated = Date()
    var pulpLastUpdated: Date? = nil
    var name: String
    var description: String? = nil
    var retainRepoVersions: Int? = nil

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, description, retainRepoVersions = "retain_repo_versions"
    }

    static var readOnlyFields: Set<String> { ["pulp_created", "pulp_last_updated"] }

    func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("This field may not be blank.", field: "name") }
        if let retainRepoVersions, retainRepoVersions < 1 {
            errors.add("Ensure this value is greater than or equal to 1.", field: "retain_repo_versions")
        }
    }

    mutating func keepStoredFields(of stored: ExampleRepository) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
        pulpLastUpdated = Date()
    }
}

/// pulp_file's FileRepository (`file_filerepository`).
struct ExampleFileRepository: DetailModel, APIResource {
    static let tableName = "file_filerepository"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: ExampleRepository
    var autopublish = false
    var manifest: String? = "PULP_MANIFEST"

    static var serializerDefaults: [String: JSONValue] {
        ["autopublish": .bool(false), "manifest": .string("PULP_MANIFEST")]
    }
}

/// Registers the example application's endpoints: `remotes/`, `remotes/file/file/`,
/// `repositories/`, `repositories/file/file/`.
func registerExampleResources(in api: inout API) throws {
    let registry = ModelRegistry()
    try registry.register(ExampleFileRemote.self)
    try registry.register(ExampleFileRepository.self)
    let named = [FilterField("name"), FilterField("pulp_type", lookups: [.exact, .in])]
    let ordering = ["name", "pulp_created", "pulp_last_updated"]
    let newestFirst = [Column("pulp_created").descending]
    api.register(
        MasterViewSet<ExampleRemote>(
            "remotes", filters: named, orderingFields: ordering, defaultOrdering: newestFirst, registry: registry))
    api.register(
        ViewSet<ExampleFileRemote>(
            "remotes/file/file", filters: [FilterField("name"), FilterField("url")], orderingFields: ordering,
            defaultOrdering: newestFirst, uniqueFields: ["name"]))
    api.register(
        MasterViewSet<ExampleRepository>(
            "repositories", filters: named, orderingFields: ordering, defaultOrdering: newestFirst, registry: registry))
    api.register(
        ViewSet<ExampleFileRepository>(
            "repositories/file/file", filters: [FilterField("name")], orderingFields: ordering,
            defaultOrdering: newestFirst, uniqueFields: ["name"]))
}
