import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// Every field's error at once, uniqueness as a field error, nothing written on failure.
@Suite("REST: validation")
struct RESTValidationTests {
    @Test(arguments: TestDatabaseKind.engines)
    func everyFieldErrorAtOnce(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, database in
            let response = try await client.json(
                .post, fileRemotesPath, #"{"name": "", "url": "ftp://x", "policy": "sometimes", "bogus": 1}"#)
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.json.keys == ["name", "url", "policy", "bogus"])
            #expect(response.json["url"] == .array([.string("Enter a valid URL.")]))
            #expect(response.json["bogus"] == .array([.string("Unexpected field.")]))

            let missing = try await client.json(.post, fileRemotesPath, "{}")
            #expect(missing.status == .badRequest)
            #expect(missing.json.keys == ["name", "url"])

            let wrongType = try await client.json(.post, fileRemotesPath, #"{"name": 5, "url": ["x"]}"#)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.json.keys == ["name", "url"])

            for body in ["[]", "\"text\"", "null"] {
                let notObject = try await client.json(.post, fileRemotesPath, body)
                #expect(notObject.status == .badRequest, "\(body)")
                #expect(notObject.json.keys == ["non_field_errors"], "\(body)")
            }
            #expect(try await database.withConnection { try $0.query("SELECT pulp_id FROM core_remote") }.isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func duplicatesAreFieldErrors(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            #expect(
                try await client.json(.post, fileRemotesPath, #"{"name": "a", "url": "https://e/"}"#).status == .created
            )
            let other = try await client.json(.post, fileRemotesPath, #"{"name": "b", "url": "https://e/"}"#)
            let duplicate = try await client.json(.post, fileRemotesPath, #"{"name": "a", "url": "bad"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.json["name"] == .array([.string("This field must be unique.")]))
            #expect(duplicate.json.keys == ["name", "url"])

            // Renaming onto a taken name is refused; keeping one's own name is not a duplicate.
            let href = try #require(other.json["pulp_href"]?.string)
            let rename = try await client.json(.patch, href, #"{"name": "a"}"#)
            #expect(rename.status == .badRequest)
            #expect(rename.json["name"] == .array([.string("This field must be unique.")]))
            #expect(try await client.json(.patch, href, #"{"name": "b"}"#).status == .ok)

            // A duplicate across detail types hits the master's constraint: still a field error.
            let crossType = try await client.json(
                .post, "/pulp/api/v3/remotes/other/other/", #"{"name": "a", "url": "https://e/", "priority": 1}"#)
            #expect(crossType.status == .badRequest)
            #expect(crossType.json["name"] == .array([.string("This field must be unique.")]))
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func concurrentDuplicatesGetOneCreatedAndFieldErrors(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, database in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, JSONValue).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let response = try await client.json(
                            .post, fileRemotesPath, #"{"name": "race", "url": "https://e/"}"#)
                        return (response.status, response.json)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .created }.count == 1)
            for (status, json) in statuses where status != .created {
                #expect(status == .badRequest)
                #expect(json["name"] == .array([.string("This field must be unique.")]))
            }
            let rows = try await database.withConnection { try $0.query("SELECT pulp_id FROM file_fileremote") }
            #expect(rows.count == 1)
        }
    }
}
