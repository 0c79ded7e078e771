import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// JSON errors for what the routes refuse, and the Correlation-ID echo.
@Suite("REST: errors and headers")
struct RESTErrorTests {
    @Test(arguments: TestDatabaseKind.engines)
    func refusalsAreJSON(_ kind: TestDatabaseKind) async throws {
        let configuration = APIConfiguration(maximumBodySize: 1024)
        try await withTestAPI(kind, configuration: configuration) { client, database in
            let unknown = try await client.json(.get, "/pulp/api/v3/nothing/here/")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/json")
            #expect(unknown.json["detail"]?.string == "Not found.")

            let method = try await client.json(.put, fileRemotesPath, "{}")
            #expect(method.status == .methodNotAllowed)
            #expect(method.headers[.contentType] == "application/json")
            #expect(method.headers[.allow] == "GET, POST")
            #expect(method.json["detail"]?.string == "Method \"PUT\" not allowed.")

            let mediaType = try await client.json(
                .post, fileRemotesPath, "name=x", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(mediaType.status == .unsupportedMediaType)
            #expect(mediaType.headers[.contentType] == "application/json")

            let charset = try await client.json(
                .post, fileRemotesPath, #"{"name": "c", "url": "https://e/"}"#,
                headers: [.contentType: "application/json; charset=utf-8"])
            #expect(charset.status == .created)

            let huge = "{\"name\": \"\(String(repeating: "x", count: 4096))\", \"url\": \"https://e/\"}"
            let tooLarge = try await client.json(.post, fileRemotesPath, huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.headers[.contentType] == "application/json")
            #expect(tooLarge.json["detail"] != nil)

            let broken = try await client.json(.post, fileRemotesPath, #"{"name": "#)
            #expect(broken.status == .badRequest)
            #expect(broken.json["detail"] != nil)

            let count = try await database.withConnection { try $0.query("SELECT pulp_id FROM core_remote") }.count
            #expect(count == 1)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func correlationIDIsEchoed(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            let header = HTTPField.Name("Correlation-ID")!
            let echoed = try await client.json(.get, fileRemotesPath, headers: [header: "abc123"])
            #expect(echoed.headers[header] == "abc123")
            let onError = try await client.json(.get, "/pulp/api/v3/nothing/", headers: [header: "e-1"])
            #expect(onError.headers[header] == "e-1")
            let generated = try await client.json(.get, fileRemotesPath)
            #expect(generated.headers[header]?.count == 32)
        }
    }
}
