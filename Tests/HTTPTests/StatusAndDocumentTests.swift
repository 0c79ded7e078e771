import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TandemDatabase
import TandemHTTP
import TandemMigrations
import TandemORM
import TandemTesting
import Testing

/// The status endpoint and the OpenAPI document.
@Suite("Status and API document")
struct StatusAndDocumentTests {
    static let versions = [
        ComponentVersion(
            component: "core", version: "0.1.0", package: "tandem", module: "TandemHTTP", pulpAPILevel: "3.49.0"),
        ComponentVersion(
            component: "file", version: "0.1.0", package: "tandem", module: "TandemFile", pulpAPILevel: "3.49.0"),
    ]

    static func app(_ database: Database, storage: String? = nil) throws -> some ApplicationProtocol {
        var api = try makeTestAPI(database)
        api.status = StatusConfiguration(versions: versions, storagePath: storage)
        return Application(router: api.router())
    }

    @Test(arguments: TestDatabaseKind.engines)
    func statusReportsOnlineProcessesByTTL(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try createTestTables($0) }
            let live = try await Heartbeat.start(
                database: database, kind: "api", versions: ["core": "0.1.0"], interval: .seconds(60))
            let worker = ComponentRegistration(kind: "worker", versions: ["core": "0.1.0"])
            try await database.withConnection { connection in
                try ComponentRegistry.register(worker, on: connection)
                // A worker whose last heartbeat is an hour old is past any TTL.
                try connection.execute(
                    "UPDATE tandem_components SET last_heartbeat = \(connection.dialect == .postgres ? "now() - interval '1 hour'" : "datetime('now', '-1 hour')") WHERE kind = 'worker'"
                )
            }
            let folder = FileManager.default.temporaryDirectory.path
            try await Self.app(database, storage: folder).test(.router) { client in
                let status = try await client.json(.get, "/pulp/api/v3/status/")
                #expect(status.status == .ok)
                #expect(status.headers[.contentType] == "application/json")
                #expect(status.json["online_api_apps"]?.array?.count == 1)
                #expect(status.json["online_workers"]?.array?.count == 0)
                #expect(status.json["online_content_apps"]?.array?.count == 0)
                #expect(status.json["database_connection"]?["connected"] == .bool(true))
                let versions = try #require(status.json["versions"]?.array)
                #expect(versions.compactMap { $0["component"]?.string } == ["core", "file"])
                #expect(versions[0]["pulp_api_level"]?.string == "3.49.0")
                #expect(versions[0]["version"]?.string == "0.1.0")
                let storage = try #require(status.json["storage"])
                let total = try #require(storage["total"]?.int), free = try #require(storage["free"]?.int)
                #expect(total > 0 && free <= total && storage["used"]?.int == total - free)
            }
            try await live.stop()
        }
    }

    @Test func statusSaysWhenTheDatabaseIsGone() async throws {
        let testDatabase = try TestDatabase(.sqliteFile)
        defer { testDatabase.drop() }
        let app = try Self.app(testDatabase.database)
        testDatabase.database.close()
        try await app.test(.router) { client in
            let status = try await client.json(.get, "/pulp/api/v3/status/")
            #expect(status.status == .ok)
            #expect(status.json["database_connection"]?["connected"] == .bool(false))
        }
    }

    @Test func documentNamesOperationsAsPulpDoes() async throws {
        try await withTestDatabase(.sqliteFile) { database in
            try await Self.app(database).test(.router) { client in
                let response = try await client.json(.get, "/pulp/api/v3/docs/api.json")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let document = response.json
                #expect(document["openapi"]?.string?.hasPrefix("3.") == true)
                #expect(
                    document["info"]?["x-pulp-app-versions"]
                        == .object(["core": .string("3.49.0"), "file": .string("3.49.0")]))
                let paths = try #require(document["paths"])
                var operations: [String: JSONValue] = [:]
                for (_, item) in paths.objectValue {
                    for (method, operation) in item.objectValue where method != "parameters" {
                        operations[operation["operationId"]?.string ?? "?"] = operation
                        let responses = operation["responses"]?.objectValue ?? [:]
                        #expect(!responses.isEmpty)
                        for (code, answer) in responses {
                            #expect(answer["description"]?.string?.isEmpty == false, "\(code)")
                        }
                    }
                }
                for id in [
                    "remotes_file_file_list", "remotes_file_file_create", "remotes_file_file_read",
                    "remotes_file_file_update", "remotes_file_file_partial_update", "remotes_file_file_delete",
                    "remotes_list", "status_read",
                ] {
                    #expect(operations[id] != nil, "\(id)")
                }
                #expect(operations["remotes_create"] == nil)
                #expect(paths["{file_file_remote_href}"]?["get"]?["operationId"]?.string == "remotes_file_file_read")
                let listParameters = (operations["remotes_file_file_list"]?["parameters"]?.array ?? []).compactMap {
                    $0["name"]?.string
                }
                for name in [
                    "limit", "offset", "ordering", "fields", "exclude_fields", "name", "name__contains", "name__in",
                ] {
                    #expect(listParameters.contains(name), "\(name)")
                }
                let nameIn = operations["remotes_file_file_list"]?["parameters"]?.array?.first {
                    $0["name"]?.string == "name__in"
                }
                #expect(nameIn?["schema"]?["type"]?.string == "array")
                let schemas = try #require(document["components"]?["schemas"])
                let request = try #require(schemas["file.TestFileRemote"])
                #expect(request["required"] == .array([.string("name"), .string("url")]))
                #expect(request["properties"]?["pulp_created"] == nil)
                #expect(request["properties"]?["sha256"]?["nullable"] == .bool(true))
                let shown = try #require(schemas["file.TestFileRemoteResponse"]?["properties"])
                #expect(shown["pulp_created"]?["format"]?.string == "date-time")
                #expect(shown["pulp_href"] != nil && shown["pulp_id"] == nil)
                #expect(schemas["Paginatedfile.TestFileRemoteResponseList"] != nil)
                #expect(schemas["other.TestOtherRemote"]?["properties"]?["priority"]?["type"]?.string == "integer")
            }
        }
    }
}

extension StatusAndDocumentTests {
    /// Each operation of a document by its id, with the path it is under.
    static func operations(of document: JSONValue) -> [String: (path: String, operation: JSONValue)] {
        var operations: [String: (path: String, operation: JSONValue)] = [:]
        for (path, item) in (document["paths"] ?? .null).objectValue {
            for (method, operation) in item.objectValue where method != "parameters" {
                operations[operation["operationId"]?.string ?? "?"] = (path, operation)
            }
        }
        return operations
    }

    @Test func strictDocumentHasPathTemplatesAndTheSameOperations() async throws {
        try await withTestDatabase(.sqliteFile) { database in
            try await Self.app(database).test(.router) { client in
                let pulp = try await client.json(.get, "/pulp/api/v3/docs/api.json").json
                let strict = try await client.json(.get, "/pulp/api/v3/docs/api.json?strict")
                #expect(strict.status == .ok)
                #expect(strict.headers[.contentType] == "application/json")
                let strictPaths = (strict.json["paths"] ?? .null).objectValue
                #expect(!strictPaths.isEmpty)
                for path in strictPaths.keys { #expect(path.hasPrefix("/"), "\(path)") }
                // Pulp's keys are what pulp-glue needs: the default document keeps them.
                #expect((pulp["paths"] ?? .null).objectValue.keys.contains("{file_file_remote_href}"))

                let item = try #require(strictPaths["/pulp/api/v3/remotes/file/file/{pulp_id}/"])
                let parameter = try #require(item["parameters"]?.array?.first)
                #expect(parameter["name"]?.string == "pulp_id")
                #expect(parameter["in"]?.string == "path")
                #expect(parameter["schema"]?["format"]?.string == "uuid")

                let pulpOperations = Self.operations(of: pulp), strictOperations = Self.operations(of: strict.json)
                #expect(Set(pulpOperations.keys) == Set(strictOperations.keys))
                for (id, entry) in pulpOperations {
                    #expect(strictOperations[id]?.operation == entry.operation, "\(id)")
                }
                #expect(strict.json["components"] == pulp["components"])
            }
        }
    }

    @Test func everyRefusalIsDocumentedWithItsBody() async throws {
        try await withTestDatabase(.sqliteFile) { database in
            try await Self.app(database).test(.router) { client in
                let document = try await client.json(.get, "/pulp/api/v3/docs/api.json").json
                let operations = Self.operations(of: document)
                let expected: [String: Set<String>] = [
                    "remotes_file_file_list": ["200", "400", "401", "429", "503"],
                    "remotes_file_file_create": ["201", "400", "401", "403", "413", "415", "429", "503"],
                    "remotes_file_file_read": ["200", "400", "401", "404", "429", "503"],
                    "remotes_file_file_update": ["200", "400", "401", "403", "404", "413", "415", "429", "503"],
                    "remotes_file_file_partial_update": [
                        "200", "400", "401", "403", "404", "413", "415", "429", "503",
                    ],
                    "remotes_file_file_delete": ["204", "401", "403", "404", "429", "503"],
                ]
                for (id, codes) in expected {
                    let responses = (operations[id]?.operation["responses"] ?? .null).objectValue
                    #expect(Set(responses.keys) == codes, "\(id)")
                    for (code, response) in responses where !code.hasPrefix("2") {
                        let schema = response["content"]?["application/json"]?["schema"]?["$ref"]?.string
                        #expect(
                            schema
                                == (code == "400"
                                    ? "#/components/schemas/ValidationErrorResponse"
                                    : "#/components/schemas/ErrorResponse"),
                            "\(id) \(code)")
                    }
                }
                let schemas = try #require(document["components"]?["schemas"])
                #expect(schemas["ErrorResponse"]?["required"] == .array([.string("detail")]))
                #expect(schemas["ValidationErrorResponse"]?["additionalProperties"]?["type"]?.string == "array")
            }
        }
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue] {
        if case .object(let object) = self { return object }
        return [:]
    }
}
