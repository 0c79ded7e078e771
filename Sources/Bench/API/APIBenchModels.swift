import Foundation
import TandemDatabase
import TandemHTTP
import TandemORM

/// The Tandem side's master model: pulpcore's Remote, shaped as `tandem serve` shows it.
struct APIBenchRemote: MasterModel, APIResource {
    static let tableName = "apibench_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var pulpID = UUID()
    var pulpType = ""
    var pulpCreated = Date()
    var pulpLastUpdated: Date? = nil
    var name: String
    var url: String
    var policy = "immediate"
    var downloadConcurrency: Int? = nil

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, url, policy
        case downloadConcurrency = "download_concurrency"
    }

    static var readOnlyFields: Set<String> { ["pulp_created", "pulp_last_updated"] }
    static var serializerDefaults: [String: JSONValue] { ["policy": .string("immediate")] }

    func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("This field may not be blank.", field: "name") }
        if !BareValidation.isValidURL(url) { errors.add("Enter a valid URL.", field: "url") }
    }

    mutating func keepStoredFields(of stored: APIBenchRemote) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
        pulpLastUpdated = Date()
    }
}

/// The Tandem side's detail model: pulp_file's FileRemote.
struct APIBenchFileRemote: DetailModel, APIResource {
    static let tableName = "apibench_fileremote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: APIBenchRemote
    var manifest: String? = "PULP_MANIFEST"

    static var serializerDefaults: [String: JSONValue] {
        APIBenchRemote.serializerDefaults.merging(["manifest": .string("PULP_MANIFEST")]) { $1 }
    }
}

/// The checks both sides make on a remote's fields.
enum BareValidation {
    /// An http(s) URL with a host, as `tandem serve`'s remotes accept.
    static func isValidURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return ["http", "https"].contains(scheme) && !(url.host ?? "").isEmpty
    }
}

/// DDL for one side's pair of tables: `apibench_*` (Tandem) or `apibare_*` (the bare server).
func apiBenchTables(prefix: String, dialect: Dialect) -> String {
    let timestamp = dialect == .postgres ? "TIMESTAMPTZ" : "TIMESTAMP"
    return """
        DROP TABLE IF EXISTS \(prefix)_fileremote; DROP TABLE IF EXISTS \(prefix)_remote;
        CREATE TABLE \(prefix)_remote (
            pulp_id UUID PRIMARY KEY, pulp_type TEXT NOT NULL, pulp_created \(timestamp) NOT NULL,
            pulp_last_updated \(timestamp), name TEXT NOT NULL UNIQUE, url TEXT NOT NULL, policy TEXT NOT NULL,
            download_concurrency BIGINT);
        CREATE TABLE \(prefix)_fileremote (
            pulp_id UUID PRIMARY KEY REFERENCES \(prefix)_remote (pulp_id) ON DELETE CASCADE, manifest TEXT);
        """
}

/// Drops both sides' tables.
let apiBenchDropTables = """
    DROP TABLE IF EXISTS apibench_fileremote; DROP TABLE IF EXISTS apibench_remote;
    DROP TABLE IF EXISTS apibare_fileremote; DROP TABLE IF EXISTS apibare_remote;
    """
