import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemApp
import TandemDatabase
import TandemFile
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// The plugins serve their own models: core's masters and the file plugin's details, through
/// the `APIPlugin` hook, over the tables of their own migrations.
@Suite("REST: the plugins' own resources")
struct PluginResourceTests {
    @Test("the application's plugins register their paths")
    func registeredPaths() throws {
        let application = try makePluginApplication()
        #expect(API.plugins(of: application).map(\.label) == ["core", "file"])
        let document = try API(application: application, database: try Database("sqlite::memory:")).document
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths in \(document)")
            return
        }
        for path in [
            "/pulp/api/v3/remotes/", "/pulp/api/v3/remotes/file/file/", "/pulp/api/v3/repositories/",
            "/pulp/api/v3/repositories/file/file/", "/pulp/api/v3/content/", "/pulp/api/v3/content/file/files/",
        ] {
            #expect(paths[path] != nil, "\(path)")
        }
    }

    @Test(
        "a file remote: Pulp's defaults, every field error at once, uniqueness, typed master list",
        arguments: TestDatabaseKind.engines)
    func fileRemote(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, database in
            let path = "/pulp/api/v3/remotes/file/file/"
            let created = try await client.json(
                .post, path,
                #"{"name": "isos", "url": "https://example.com/isos/", "pulp_created": "1999-01-01T00:00:00Z"}"#)
            #expect(created.status == .created)
            #expect(created.json["policy"]?.string == "immediate")
            #expect(created.json["tls_validation"] == .bool(true))
            #expect(created.json["pulp_type"]?.string == "file.file")
            #expect(created.json["pulp_created"]?.string?.hasPrefix("1999") == false)
            let href = try #require(created.json["pulp_href"]?.string)
            #expect(href.hasPrefix(path) && href.hasSuffix("/") && href == href.lowercased())

            let invalid = try await client.json(
                .post, path, #"{"name": "", "url": "not a url", "policy": "sometimes", "download_concurrency": 0}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json["name"] == .array([.string("This field may not be blank.")]))
            #expect(invalid.json["url"] == .array([.string("Enter a valid URL.")]))
            #expect(invalid.json["policy"] == .array([.string("\"sometimes\" is not a valid choice.")]))
            #expect(
                invalid.json["download_concurrency"]
                    == .array([.string("Ensure this value is greater than or equal to 1.")]))

            let duplicate = try await client.json(.post, path, #"{"name": "isos", "url": "https://e.org/"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.json["name"] == .array([.string("This field must be unique.")]))

            let patched = try await client.json(.patch, href, #"{"url": "file:///srv/isos/"}"#)
            #expect(patched.status == .ok)
            #expect(patched.json["url"]?.string == "file:///srv/isos/")
            #expect(patched.json["pulp_created"] == created.json["pulp_created"])
            #expect(patched.json["pulp_last_updated"] != .null)

            let masters = try await client.json(.get, "/pulp/api/v3/remotes/?pulp_type__in=file.file")
            #expect(masters.json["count"]?.int == 1)
            #expect(masters.json["results"]?.array?.first?["pulp_href"]?.string == href)

            let stored = try await FileRemote.query(on: database).all()
            #expect(stored.map(\.parent.name) == ["isos"])
            #expect(stored.first?.parent.url == "file:///srv/isos/")

            #expect(try await client.json(.delete, href).status == .noContent)
            #expect(try await client.json(.get, href).status == .notFound)
            #expect(try await Remote.query(on: database).count() == 0)
        }
    }

    @Test("a file repository: defaults, read-only counters, validation", arguments: TestDatabaseKind.engines)
    func fileRepository(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, database in
            let path = "/pulp/api/v3/repositories/file/file/"
            let created = try await client.json(.post, path, #"{"name": "files", "next_version": 7}"#)
            #expect(created.status == .created)
            #expect(created.json["autopublish"] == .bool(false))
            #expect(created.json["manifest"]?.string == "PULP_MANIFEST")
            #expect(created.json["next_version"]?.int == 0)
            let href = try #require(created.json["pulp_href"]?.string)

            let invalid = try await client.json(
                .post, path, #"{"name": "", "retain_repo_versions": 0, "manifest": "../x", "colour": "red"}"#)
            #expect(invalid.status == .badRequest)
            #expect(invalid.json.keys == ["name", "retain_repo_versions", "manifest", "colour"])
            #expect(invalid.json["colour"] == .array([.string("Unexpected field.")]))

            let put = try await client.json(.put, href, #"{"name": "renamed", "description": "ISO images"}"#)
            #expect(put.status == .ok)
            #expect(put.json["description"]?.string == "ISO images")
            let stored = try #require(try await FileRepository.query(on: database).first())
            #expect(stored.parent.name == "renamed")
            // Version 0 comes with the repository, as in Pulp: the next one is 1.
            #expect(stored.parent.nextVersion == 1)
            #expect(try await client.json(.get, "/pulp/api/v3/repositories/").json["count"]?.int == 1)
        }
    }

    @Test("file content is listed and shown, never written through the API", arguments: TestDatabaseKind.engines)
    func fileContentIsReadOnly(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, database in
            var file = FileContent(relativePath: "a/b.iso", digest: String(repeating: "ab", count: 32))
            try await file.create(on: database)
            let path = "/pulp/api/v3/content/file/files/"
            let list = try await client.json(.get, path + "?relative_path=a/b.iso")
            #expect(list.status == .ok)
            #expect(list.json["count"]?.int == 1)
            let href = try #require(list.json["results"]?.array?.first?["pulp_href"]?.string)
            #expect(href == path + file.parent.pulpID.uuidString.lowercased() + "/")
            #expect(try await client.json(.get, href).json["digest"]?.string == file.digest)

            let create = try await client.json(.post, path, #"{"relative_path": "c", "digest": "00"}"#)
            #expect(create.status == .methodNotAllowed)
            #expect(create.headers[.allow] == "GET")
            #expect(try await client.json(.delete, href).status == .methodNotAllowed)
            #expect(try await FileContent.query(on: database).count() == 1)
            let typed = try await client.json(.get, "/pulp/api/v3/content/")
            #expect(typed.json["results"]?.array?.first?["relative_path"]?.string == "a/b.iso")
        }
    }

    @Test(
        "the file plugin's own route answers outside api/v3/, without authentication",
        arguments: TestDatabaseKind.engines)
    func customRoute(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(
            kind, configure: { $0.authentication = AuthenticationConfiguration() }
        ) { client, database in
            var remote = FileRemote(parent: Remote(name: "r", url: "https://example.com/"))
            try await remote.create(on: database)
            let health = try await client.json(.get, "/pulp/file/health/")
            #expect(health.status == .ok)
            #expect(health.headers[.contentType] == "application/json")
            #expect(health.json["plugin"]?.string == "file")
            #expect(health.json["version"]?.string == FilePlugin().version.description)
            #expect(health.json["remotes"]?.int == 1)
            #expect(health.json["repositories"]?.int == 0)
            #expect(health.json["files"]?.int == 0)
            #expect(try await client.json(.post, "/pulp/file/health/", "{}").status == .methodNotAllowed)
            // The REST API behind it still needs a user.
            #expect(try await client.json(.get, "/pulp/api/v3/remotes/file/file/").status == .unauthorized)
        }
    }

    @Test(
        "routes of one path: a handler per method, path parameters, any media type",
        arguments: TestDatabaseKind.engines)
    func routesSharingAPath(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(
            kind,
            configure: { api in
                api.register(
                    PluginRoute("demo/items/:name/") { request in
                        .text("item \(request.parameters["name"] ?? "?") in \(request.language)")
                    })
                api.register(
                    PluginRoute("demo/items/:name/", method: "DELETE") { request in
                        .json(["deleted": .string(request.parameters["name"] ?? "?")], status: 202)
                    })
            }
        ) { client, _ in
            let shown = try await client.execute(
                uri: "/pulp/demo/items/a1/", method: .get, headers: [.acceptLanguage: "de"]
            ) { response in
                (response.status, response.headers[.contentType], String(buffer: response.body))
            }
            #expect(shown.0 == .ok)
            #expect(shown.1 == "text/plain; charset=utf-8")
            #expect(shown.2 == "item a1 in de")
            let deleted = try await client.json(.delete, "/pulp/demo/items/b2/")
            #expect(deleted.status == .accepted)
            #expect(deleted.json["deleted"]?.string == "b2")
            let put = try await client.json(.put, "/pulp/demo/items/b2/", "{}")
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, DELETE")
        }
    }

    @Test("a parameterised route is forwarded by its fixed prefix")
    func proxyPrefix() {
        let handler: PluginRoute.Handler = { _ in .text("") }
        #expect(PluginRoute("file/health/", handler: handler).proxyPrefix == "file/health/")
        #expect(PluginRoute("/file/repositories/:name/manifest", handler: handler).proxyPrefix == "file/repositories/")
        #expect(PluginRoute("file/x", handler: handler).proxyPrefix == "file/x/")
    }
}
