import Foundation
import HTTPTypes
import HummingbirdTesting
import TandemApp
import TandemFile
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// `POST {repository_href}sync/`, repository versions and content by version, against a real
/// manifest server on loopback, on both engines.
@Suite("HTTP: file sync and repository versions")
struct FileSyncTests {
    static func manifest(_ lines: [(String, Character, Int)]) -> String {
        lines.map { "\($0.0),\(digest($0.1)),\($0.2)" }.joined(separator: "\n") + "\n"
    }

    static func names(_ list: JSONValue) -> [String] {
        (list["results"]?.array ?? []).compactMap { $0["relative_path"]?.string }.sorted()
    }

    @Test(arguments: TestDatabaseKind.engines)
    func syncRecordsANewVersionAndResyncDuplicatesNothing(_ kind: TestDatabaseKind) async throws {
        try await withSyncFixture(kind) { fixture in
            let client = fixture.client
            fixture.files["/repo/PULP_MANIFEST"] = Self.manifest([
                ("a.txt", "a", 1), ("b/c.txt", "b", 2), ("d", "d", 3),
            ])
            let (remote, repository) = try await fixture.remoteAndRepository(
                url: fixture.serverURL + "repo/PULP_MANIFEST")

            // Version 0 comes with the repository.
            let created = try await client.json(.get, repository)
            #expect(created.json["versions_href"]?.string == repository + "versions/")
            #expect(created.json["latest_version_href"]?.string == repository + "versions/0/")
            #expect(try await client.json(.get, repository + "versions/").json["count"]?.int == 1)

            let task = try await fixture.sync(repository, remote: remote)
            #expect(task["state"]?.string == "completed", "\(task)")
            #expect(task["name"]?.string == "file.tasks.synchronize")
            let repositoryID = String(repository.dropFirst(fileRepositoriesPath.count).dropLast())
            let remoteID = String(remote.dropFirst(fileRemotesPath.count).dropLast())
            #expect(
                task["reserved_resources_record"]
                    == .array([
                        .string("prn:file.filerepository:\(repositoryID)"),
                        .string("shared:prn:file.fileremote:\(remoteID)"),
                    ]))
            let reports = task["progress_reports"]?.array ?? []
            let associating = reports.first { $0["code"]?.string == "associating.content" }
            #expect(associating?["done"]?.int == 3 && associating?["total"]?.int == 3)
            #expect(reports.count == 3)

            let synced = try await client.json(.get, repository)
            #expect(synced.json["latest_version_href"]?.string == repository + "versions/1/")
            let version = try await client.json(.get, repository + "versions/1/")
            #expect(version.status == .ok)
            #expect(version.json["number"]?.int == 1)
            #expect(version.json["base_version"]?.string == repository + "versions/0/")
            #expect(version.json["content_summary"]?["present"]?["file.file"]?["count"]?.int == 3)
            #expect(version.json["content_summary"]?["added"]?["file.file"]?["count"]?.int == 3)
            let versions = try await client.json(.get, repository + "versions/")
            #expect(versions.json["results"]?.array?.compactMap { $0["number"]?.int } == [1, 0])

            let inOne = try await client.json(.get, fileContentPath + "?repository_version=\(repository)versions/1/")
            #expect(inOne.status == .ok)
            #expect(Self.names(inOne.json) == ["a.txt", "b/c.txt", "d"])
            #expect(
                try await client.json(.get, fileContentPath + "?repository_version=\(repository)versions/0/").json[
                    "count"]?.int == 0)
            let first = try #require(inOne.json["results"]?.array?.first { $0["relative_path"]?.string == "a.txt" })
            #expect(first["digest"]?.string == digest("a"))

            // The same manifest again: no new content, no new version.
            let again = try await fixture.sync(repository, remote: remote)
            #expect(again["state"]?.string == "completed", "\(again)")
            #expect(try await client.json(.get, fileContentPath).json["count"]?.int == 3)
            #expect(
                try await client.json(.get, repository).json["latest_version_href"]?.string == repository
                    + "versions/1/")

            // A second repository syncing the same files shares their content.
            let (_, other) = try await fixture.remoteAndRepository(
                url: fixture.serverURL + "repo/PULP_MANIFEST", name: "o")
            #expect(try await fixture.sync(other, remote: remote)["state"]?.string == "completed")
            #expect(try await client.json(.get, fileContentPath).json["count"]?.int == 3)

            // Mirror: exactly the manifest's files; a new digest at a path replaces the old file.
            fixture.files["/repo/PULP_MANIFEST"] = Self.manifest([("a.txt", "e", 1), ("d", "d", 3), ("f", "f", 4)])
            #expect(try await fixture.sync(repository, remote: remote, mirror: true)["state"]?.string == "completed")
            let two = try await client.json(.get, repository + "versions/2/")
            #expect(two.json["content_summary"]?["present"]?["file.file"]?["count"]?.int == 3)
            #expect(two.json["content_summary"]?["added"]?["file.file"]?["count"]?.int == 2)
            #expect(two.json["content_summary"]?["removed"]?["file.file"]?["count"]?.int == 2)
            let inTwo = try await client.json(.get, fileContentPath + "?repository_version=\(repository)versions/2/")
            #expect(Self.names(inTwo.json) == ["a.txt", "d", "f"])
            let added = try await client.json(
                .get, fileContentPath + "?repository_version_added=\(repository)versions/2/")
            #expect(Self.names(added.json) == ["a.txt", "f"])
            // Version 1 still holds what it held.
            let stillOne = try await client.json(.get, fileContentPath + "?repository_version=\(repository)versions/1/")
            #expect(Self.names(stillOne.json) == ["a.txt", "b/c.txt", "d"])

            // Without mirror the manifest's files are added to what the repository holds.
            fixture.files["/repo/PULP_MANIFEST"] = Self.manifest([("g", "c", 5)])
            #expect(try await fixture.sync(repository, remote: remote, mirror: false)["state"]?.string == "completed")
            let inThree = try await client.json(.get, fileContentPath + "?repository_version=\(repository)versions/3/")
            #expect(Self.names(inThree.json) == ["a.txt", "d", "f", "g"])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func badManifestsFailTheTaskAndRecordNothing(_ kind: TestDatabaseKind) async throws {
        try await withSyncFixture(kind) { fixture in
            let client = fixture.client
            let (remote, repository) = try await fixture.remoteAndRepository(url: fixture.serverURL + "bad/")
            let cases: [(String, String)] = [
                ("a,\(digest("a")),1\nb,not-a-digest,2\n", "line 2: the digest is not a SHA-256"),
                ("a,\(digest("a")),1\n\nc,\(digest("c"))\n", "line 3: expected 3 comma-separated fields"),
                ("a,\(digest("a")),-1\n", "line 1: the size is not a non-negative integer"),
                ("../etc/passwd,\(digest("a")),1\n", "line 1: the relative path must be relative"),
                ("a,\(digest("a")),1\na,\(digest("b")),1\n", "line 2: the relative path is listed already, on line 1"),
                (String(repeating: "x", count: 5000), "larger than file.max_manifest_size"),
            ]
            for (text, message) in cases {
                fixture.files["/bad/PULP_MANIFEST"] = text
                let task = try await fixture.sync(repository, remote: remote)
                #expect(task["state"]?.string == "failed")
                #expect(task["error"]?["description"]?.string?.contains(message) == true, "\(task["error"] ?? .null)")
            }
            // A manifest that never ends is cut at the limit.
            let (endless, _) = try await fixture.remoteAndRepository(
                url: fixture.serverURL + "endless/PULP_MANIFEST", name: "e")
            let clock = ContinuousClock()
            let started = clock.now
            let cut = try await fixture.sync(repository, remote: endless)
            #expect(cut["error"]?["description"]?.string?.contains("larger than file.max_manifest_size") == true)
            #expect(clock.now - started < .seconds(10), "reading stops at the limit, not at the end")
            // The server's 404, and nothing listening.
            fixture.files["/bad/PULP_MANIFEST"] = nil
            let missing = try await fixture.sync(repository, remote: remote)
            #expect(missing["error"]?["description"]?.string?.contains("HTTP 404") == true, "\(missing)")
            let (unreachable, _) = try await fixture.remoteAndRepository(
                url: "http://127.0.0.1:1/PULP_MANIFEST", name: "u")
            let refused = try await fixture.sync(repository, remote: unreachable)
            #expect(refused["state"]?.string == "failed")
            #expect(
                refused["error"]?["description"]?.string?.contains("cannot fetch the manifest") == true, "\(refused)")

            #expect(try await client.json(.get, fileContentPath).json["count"]?.int == 0)
            let versions = try await client.json(.get, repository + "versions/")
            #expect(versions.json["count"]?.int == 1)
            #expect(
                try await client.json(.get, repository).json["latest_version_href"]?.string == repository
                    + "versions/0/")
            // A failed sync leaves no incomplete version behind, so the next one is number 1.
            fixture.files["/bad/PULP_MANIFEST"] = "a,\(digest("a")),1\n"
            #expect(try await fixture.sync(repository, remote: remote)["state"]?.string == "completed")
            #expect(
                try await client.json(.get, repository).json["latest_version_href"]?.string == repository
                    + "versions/1/")
        }
    }

    /// A sync killed mid-way (kill -9) leaves an incomplete version: it is never shown, and the
    /// next sync drops it before building on the latest complete version.
    @Test(arguments: TestDatabaseKind.engines)
    func anIncompleteVersionLeftByADeadSyncIsDropped(_ kind: TestDatabaseKind) async throws {
        try await withSyncFixture(kind) { fixture in
            let client = fixture.client
            fixture.files["/k/PULP_MANIFEST"] = Self.manifest([("a", "a", 1)])
            let (remote, repository) = try await fixture.remoteAndRepository(url: fixture.serverURL + "k/PULP_MANIFEST")
            let id = try #require(UUID(uuidString: String(repository.dropFirst(fileRepositoriesPath.count).dropLast())))
            let database = fixture.queue.database
            try await database.transaction { connection in
                let dead = try RepositoryVersions.begin(repositoryID: id, on: connection)
                var orphan = FileContent(relativePath: "orphan", digest: digest("9"))
                try orphan.create(on: connection)
                try RepositoryVersions.add([orphan.parent.pulpID], to: dead, on: connection)
            }
            #expect(try await client.json(.get, repository + "versions/").json["count"]?.int == 1)
            #expect(try await client.json(.get, repository + "versions/1/").status == .notFound)
            #expect(
                try await client.json(.get, repository).json["latest_version_href"]?.string == repository
                    + "versions/0/")

            #expect(try await fixture.sync(repository, remote: remote)["state"]?.string == "completed")
            let latest = try #require(try await client.json(.get, repository).json["latest_version_href"]?.string)
            #expect(latest == repository + "versions/2/")
            let content = try await client.json(.get, fileContentPath + "?repository_version=\(latest)")
            #expect(Self.names(content.json) == ["a"])
            let versions = try await database.withConnection {
                try RepositoryVersion.query(on: $0).filter(Column("repository_id") == id).all()
            }
            #expect(versions.map(\.number).sorted() == [0, 2] && versions.allSatisfy(\.complete))
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func syncRequestsAreValidatedBeforeDispatch(_ kind: TestDatabaseKind) async throws {
        try await withSyncFixture(kind) { fixture in
            let client = fixture.client
            let (remote, repository) = try await fixture.remoteAndRepository(url: fixture.serverURL + "x/")
            let bogus = try await client.json(
                .post, repository + "sync/", #"{"remote": "/nowhere/", "mirror": "yes", "x": 1}"#)
            #expect(bogus.status == .badRequest)
            #expect(bogus.json.keys == ["remote", "mirror", "x"])
            let gone = fileRemotesPath + "\(UUID().uuidString.lowercased())/"
            let missing = try await client.json(.post, repository + "sync/", #"{"remote": "\#(gone)"}"#)
            #expect(missing.json["remote"]?.array?.first?.string == "Invalid hyperlink - Object does not exist.")
            let noRemote = try await client.json(.post, repository + "sync/", "{}")
            #expect(noRemote.status == .badRequest && noRemote.json.keys == ["remote"])
            let noRepository = try await client.json(
                .post, fileRepositoriesPath + "\(UUID().uuidString.lowercased())/sync/", #"{"remote": "\#(remote)"}"#)
            #expect(noRepository.status == .notFound)
            #expect(try await client.json(.get, tasksPath).json["count"]?.int == 0)
            #expect(try await client.json(.get, repository + "versions/7/").status == .notFound)
            #expect(try await client.json(.get, repository + "versions/x/").status == .notFound)
            let badFilter = try await client.json(.get, fileContentPath + "?repository_version=nothing")
            #expect(badFilter.status == .badRequest && badFilter.json.keys == ["repository_version"])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func documentNamesSyncAndVersionOperationsAsPulpDoes(_ kind: TestDatabaseKind) async throws {
        try await withSyncFixture(kind) { fixture in
            let document = try await fixture.client.json(.get, "/pulp/api/v3/docs/api.json")
            let paths = try #require(document.json["paths"])
            #expect(
                paths["{file_file_repository_href}sync/"]?["post"]?["operationId"]?.string
                    == "repositories_file_file_sync")
            #expect(
                paths["{file_file_repository_href}versions/"]?["get"]?["operationId"]?.string
                    == "repositories_file_file_versions_list")
            #expect(
                paths["{file_file_repository_version_href}"]?["get"]?["operationId"]?.string
                    == "repositories_file_file_versions_read")
            let parameters =
                paths[fileContentPath]?["get"]?["parameters"]?.array?.compactMap { $0["name"]?.string } ?? []
            #expect(parameters.contains("repository_version"))
            let repository = document.json["components"]?["schemas"]?["file.FileRepositoryResponse"]?["properties"]
            #expect(repository?["latest_version_href"] != nil && repository?["versions_href"] != nil)
        }
    }
}
