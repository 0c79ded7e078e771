import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TandemDatabase
import TandemHTTP
import TandemORM
import TandemTesting

// A master and two details shaped like pulpcore's Remote and pulp_file's FileRemote, served by
// the tests' own API.

struct TestRemote: MasterModel, APIResource, Equatable {
    static let tableName = "core_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var pulpID = UUID()
    var pulpType = ""
    var pulpCreated = Date()
    var pulpLastUpdated = Date()
    var name: String
    var url: String
    var policy = "immediate"

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, url, policy
    }

    static var readOnlyFields: Set<String> { ["pulp_created", "pulp_last_updated"] }
    static var serializerDefaults: [String: JSONValue] { ["policy": .string("immediate")] }

    func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("This field may not be blank.", field: "name") }
        if !(url.hasPrefix("http://") || url.hasPrefix("https://")) { errors.add("Enter a valid URL.", field: "url") }
        if !["immediate", "on_demand", "streamed"].contains(policy) {
            errors.add("\"\(policy)\" is not a valid choice.", field: "policy")
        }
    }

    mutating func keepStoredFields(of stored: TestRemote) {
        pulpID = stored.pulpID
        pulpType = stored.pulpType
        pulpCreated = stored.pulpCreated
    }
}

struct TestFileRemote: DetailModel, APIResource, Equatable {
    static let tableName = "file_fileremote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: TestRemote
    var sha256: String? = nil

    static var serializerDefaults: [String: JSONValue] { TestRemote.serializerDefaults }
}

struct TestOtherRemote: DetailModel, APIResource, Equatable {
    static let tableName = "other_otherremote"
    static let appLabel = "other"
    static let typeName = "other"
    var parent: TestRemote
    var priority: Int

    static var serializerDefaults: [String: JSONValue] { TestRemote.serializerDefaults }
}

/// Creates the tables of the test models.
func createTestTables(_ connection: Connection) throws {
    let timestamp = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TIMESTAMP"
    try connection.executeScript(
        """
        CREATE TABLE core_remote (
            pulp_id UUID PRIMARY KEY, pulp_type TEXT NOT NULL, pulp_created \(timestamp) NOT NULL,
            pulp_last_updated \(timestamp) NOT NULL, name TEXT NOT NULL UNIQUE, url TEXT NOT NULL, policy TEXT NOT NULL);
        CREATE TABLE file_fileremote (
            pulp_id UUID PRIMARY KEY REFERENCES core_remote (pulp_id) ON DELETE CASCADE, sha256 TEXT);
        CREATE TABLE other_otherremote (
            pulp_id UUID PRIMARY KEY REFERENCES core_remote (pulp_id) ON DELETE CASCADE, priority BIGINT NOT NULL);
        """)
}

/// The tests' API: `/pulp/api/v3/remotes/`, `remotes/file/file/`, `remotes/other/other/`.
func makeTestAPI(_ database: Database, configuration: APIConfiguration = APIConfiguration()) throws -> API {
    let registry = ModelRegistry()
    try registry.register(TestFileRemote.self)
    try registry.register(TestOtherRemote.self)
    var api = API(database: database, configuration: configuration)
    let remoteFilters = [FilterField("name"), FilterField("pulp_type", lookups: [.exact, .in])]
    api.register(
        MasterViewSet<TestRemote>(
            "remotes", filters: remoteFilters, orderingFields: ["name", "pulp_created"], registry: registry))
    api.register(
        ViewSet<TestFileRemote>(
            "remotes/file/file", filters: [FilterField("name"), FilterField("url")],
            orderingFields: ["name", "pulp_created", "url"], uniqueFields: ["name"]))
    api.register(
        ViewSet<TestOtherRemote>("remotes/other/other", filters: [FilterField("name")], uniqueFields: ["name"]))
    return api
}

/// Runs `body` with a test client of the tests' API on a fresh database of `kind`.
func withTestAPI(
    _ kind: TestDatabaseKind, configuration: APIConfiguration = APIConfiguration(),
    _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
) async throws {
    try await withTestDatabase(kind) { database in
        try await database.withConnection { try createTestTables($0) }
        let api = try makeTestAPI(database, configuration: configuration)
        let app = Application(router: api.router())
        try await app.test(.router) { client in try await body(client, database) }
    }
}

/// Request helpers over the test client.
extension TestClientProtocol {
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, headers: HTTPFields = [:])
        async throws -> (status: HTTPResponse.Status, headers: HTTPFields, json: JSONValue)
    {
        var fields = headers
        if body != nil, fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            let data = Data(response.body.readableBytesView)
            let json = data.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: data)
            return (response.status, response.headers, json)
        }
    }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    var int: Int64? {
        if case .integer(let integer) = self { return integer }
        return nil
    }

    var keys: Set<String> {
        if case .object(let object) = self { return Set(object.keys) }
        return []
    }
}

let remotesPath = "/pulp/api/v3/remotes/"
let fileRemotesPath = "/pulp/api/v3/remotes/file/file/"
