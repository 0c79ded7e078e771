import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// Lists: pages, filters, ordering, field selection, and the master list typed through cast().
@Suite("REST: lists")
struct RESTListTests {
    static let names = ["alpha", "beta", "gamma", "delta", "epsilon", "my_repo", "my repo+1"]

    static func createRemotes(_ client: any TestClientProtocol) async throws {
        for (index, name) in names.enumerated() {
            let body = try String(
                decoding: JSONEncoder().encode(["name": name, "url": "https://e/\(index)"]), as: UTF8.self)
            let response = try await client.json(.post, fileRemotesPath, body)
            #expect(response.status == .created)
        }
    }

    static func names(_ response: (status: HTTPResponse.Status, headers: HTTPFields, json: JSONValue)) -> [String] {
        (response.json["results"]?.array ?? []).compactMap { $0["name"]?.string }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func pagesFollowLimitAndOffset(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            try await Self.createRemotes(client)
            let first = try await client.json(.get, fileRemotesPath + "?ordering=name&limit=3")
            #expect(first.status == .ok)
            #expect(first.json.keys == ["count", "next", "previous", "results"])
            #expect(first.json["count"]?.int == Int64(Self.names.count))
            #expect(Self.names(first) == ["alpha", "beta", "delta"])
            #expect(first.json["previous"] == .null)
            let next = try #require(first.json["next"]?.string)
            #expect(next.hasPrefix("http://") && next.contains(fileRemotesPath))
            #expect(next.contains("ordering=name") && next.contains("limit=3") && next.contains("offset=3"))
            let path = String(next[try #require(next.range(of: "/pulp/"))!.lowerBound...])
            let second = try await client.json(.get, path)
            #expect(Self.names(second) == ["epsilon", "gamma", "my repo+1"])
            #expect(second.json["previous"]?.string?.contains("offset") == false)
            let last = try await client.json(.get, fileRemotesPath + "?ordering=name&limit=3&offset=6")
            #expect(Self.names(last) == ["my_repo"])
            #expect(last.json["next"] == .null)
            let beyond = try await client.json(.get, fileRemotesPath + "?offset=100")
            #expect(beyond.json["results"] == .array([]))
            #expect(beyond.json["count"]?.int == Int64(Self.names.count))
            let descending = try await client.json(.get, fileRemotesPath + "?ordering=-name&limit=2")
            #expect(Self.names(descending) == ["my_repo", "my repo+1"])

            let invalid = try await client.json(.get, fileRemotesPath + "?limit=-1&offset=x&ordering=password")
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.keys == ["limit", "offset", "ordering"])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func filtersOnDeclaredFields(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            try await Self.createRemotes(client)
            #expect(Self.names(try await client.json(.get, fileRemotesPath + "?name=beta")) == ["beta"])
            #expect(Self.names(try await client.json(.get, fileRemotesPath + "?name=my+repo%2B1")) == ["my repo+1"])
            let contains = try await client.json(.get, fileRemotesPath + "?name__contains=lt&ordering=name")
            #expect(Self.names(contains) == ["delta"])
            let within = try await client.json(.get, fileRemotesPath + "?name__in=alpha,gamma,zeta&ordering=name")
            #expect(Self.names(within) == ["alpha", "gamma"])
            #expect(within.json["count"]?.int == 2)
            let starts = try await client.json(.get, fileRemotesPath + "?name__startswith=my&ordering=name")
            #expect(Self.names(starts) == ["my repo+1", "my_repo"])
            let none = try await client.json(.get, fileRemotesPath + "?name=%27%20OR%201%3D1%20--")
            #expect(none.json["count"]?.int == 0)
            // Undeclared parameters are ignored, as django-filter ignores them.
            #expect(try await client.json(.get, fileRemotesPath + "?policy=x").json["count"]?.int == 7)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func fieldsAndExcludeFields(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            try await Self.createRemotes(client)
            let some = try await client.json(.get, fileRemotesPath + "?fields=name,pulp_href&limit=1")
            #expect(some.json["results"]?.array?.first?.keys == ["name", "pulp_href"])
            let fewer = try await client.json(.get, fileRemotesPath + "?exclude_fields=url,sha256&limit=1")
            let keys = try #require(fewer.json["results"]?.array?.first?.keys)
            #expect(!keys.contains("url") && !keys.contains("sha256") && keys.contains("name"))
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func masterListIsTypedThroughCast(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            let file = try await client.json(
                .post, fileRemotesPath, #"{"name": "f", "url": "https://e/", "sha256": "abc"}"#)
            let other = try await client.json(
                .post, "/pulp/api/v3/remotes/other/other/", #"{"name": "o", "url": "https://e/", "priority": 3}"#)
            #expect(file.status == .created && other.status == .created)
            let all = try await client.json(.get, remotesPath + "?ordering=name")
            #expect(all.status == .ok)
            let results = try #require(all.json["results"]?.array)
            #expect(results.count == 2)
            #expect(results[0] == file.json)
            #expect(results[1] == other.json)
            #expect(results[1]["pulp_href"]?.string?.hasPrefix("/pulp/api/v3/remotes/other/other/") == true)
            #expect(results[1]["priority"]?.int == 3)
            let typed = try await client.json(.get, remotesPath + "?pulp_type__in=other.other,nothing.else")
            #expect(Self.names(typed) == ["o"])
            #expect(try await client.json(.post, remotesPath, "{}").status == .methodNotAllowed)
        }
    }
}
