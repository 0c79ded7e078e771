import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// Create, retrieve, update and delete through a viewset, on both engines.
@Suite("REST: create, retrieve, update, delete")
struct RESTCRUDTests {
    @Test(arguments: TestDatabaseKind.engines)
    func createRetrieveUpdateDelete(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            let created = try await client.json(
                .post, fileRemotesPath, #"{"name": "One", "url": "https://example.com/one/"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/json")
            let href = try #require(created.json["pulp_href"]?.string)
            #expect(href.hasPrefix(fileRemotesPath) && href.hasSuffix("/"))
            #expect(href == href.lowercased())
            #expect(UUID(uuidString: String(href.dropFirst(fileRemotesPath.count).dropLast())) != nil)
            #expect(created.json["pulp_id"] == nil)
            #expect(created.json["name"]?.string == "One")
            #expect(created.json["policy"]?.string == "immediate")
            #expect(created.json["sha256"] == .null)
            let pulpCreated = try #require(created.json["pulp_created"]?.string)
            #expect(created.json["pulp_last_updated"]?.string != nil)

            let read = try await client.json(.get, href)
            #expect(read.status == .ok)
            #expect(read.json == created.json)

            let patched = try await client.json(.patch, href, #"{"url": "https://example.com/two/", "sha256": "ab"}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["url"]?.string == "https://example.com/two/")
            #expect(patched.json["name"]?.string == "One")
            #expect(patched.json["sha256"]?.string == "ab")
            #expect(patched.json["pulp_href"]?.string == href)
            #expect(patched.json["pulp_created"]?.string == pulpCreated)
            #expect(try await client.json(.get, href).json == patched.json)

            // PUT replaces: every required field must be given.
            let incomplete = try await client.json(.put, href, #"{"name": "One"}"#)
            #expect(incomplete.status == .badRequest)
            #expect(incomplete.json.keys == ["url"])
            let replaced = try await client.json(.put, href, #"{"name": "Uno", "url": "http://example.com/"}"#)
            #expect(replaced.status == .ok)
            #expect(replaced.json["name"]?.string == "Uno")
            #expect(replaced.json["sha256"] == .null)
            #expect(replaced.json["pulp_created"]?.string == pulpCreated)

            let deleted = try await client.json(.delete, href)
            #expect(deleted.status == .noContent)
            let gone = try await client.json(.get, href)
            #expect(gone.status == .notFound)
            #expect(gone.json == .object(["detail": .string("Not found.")]))
            #expect(try await client.json(.delete, href).status == .notFound)
            #expect(try await client.json(.patch, href, "{}").status == .notFound)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func readOnlyFieldsAreIgnored(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            let forgedKey = "00000000-0000-0000-0000-000000000001"
            let created = try await client.json(
                .post, fileRemotesPath,
                """
                {"name": "r", "url": "https://e/", "pulp_created": "2000-01-01T00:00:00Z", "pulp_id": "\(forgedKey)",
                 "pulp_type": "other.other", "pulp_href": "/elsewhere/"}
                """)
            #expect(created.status == .created)
            let href = try #require(created.json["pulp_href"]?.string)
            #expect(!href.contains(forgedKey))
            #expect(created.json["pulp_type"]?.string == "file.file")
            #expect(created.json["pulp_created"]?.string?.hasPrefix("2000") == false)
            let patched = try await client.json(
                .patch, href, #"{"pulp_type": "other.other", "pulp_id": "\#(forgedKey)"}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["pulp_type"]?.string == "file.file")
            #expect(patched.json["pulp_href"]?.string == href)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func keysThatAreNotUUIDsAreNotFound(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            for key in ["nope", "1", "'%20OR%201=1", "00000000-0000-0000-0000-000000000000"] {
                let response = try await client.json(.get, fileRemotesPath + key + "/")
                #expect(response.status == .notFound, "\(key)")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }
}
