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

/// `content/file/files/?repository_version=…` (and `_added`, `_removed`) on versions larger than
/// a statement's limit on bound values.
@Suite("HTTP: content by repository version, for large versions")
struct RepositoryVersionFilterTests {
    /// More units than one statement can bind: PostgreSQL's protocol carries at most 65,535
    /// values, and Tandem's SQLite connections bind at most 32,766 (SQLite's default, held to
    /// even where the library was built to allow more).
    static let size = 70_000

    @Test(arguments: TestDatabaseKind.engines)
    func versionsOfMoreUnitsThanBoundValuesFilterByContentAddedAndRemoved(_ kind: TestDatabaseKind) async throws {
        try await withPluginAPI(kind) { client, database in
            let created = try await client.json(.post, fileRepositoriesPath, #"{"name": "big"}"#)
            let repository = try #require(created.json["pulp_href"]?.string)
            let repositoryID = try #require(
                UUID(uuidString: String(repository.dropFirst(fileRepositoriesPath.count).dropLast())))

            // Version 1 adds `size` units; version 2 removes three of them and adds five more.
            let removedIndices = [0, 1234, Self.size - 1]
            let removed = removedIndices.map { "f/" + Self.padded($0) }
            let added = (0..<5).map { "g/\($0)" }
            let changes = try await database.transaction { connection in
                let one = try RepositoryVersions.begin(repositoryID: repositoryID, on: connection)
                let ids = try Self.insertFiles((0..<Self.size).map { "f/" + Self.padded($0) }, on: connection)
                try Self.insertRows(
                    into: RepositoryContent.tableName,
                    columns: ["pulp_id", "repository_id", "content_id", "version_added_id"],
                    ids.map { [.uuid(UUID()), .uuid(repositoryID), .uuid($0), .uuid(one.pulpID)] }, on: connection)
                _ = try RepositoryVersions.finish(one, on: connection)

                let two = try RepositoryVersions.begin(repositoryID: repositoryID, on: connection)
                let removedCount = try RepositoryVersions.remove(
                    removedIndices.map { ids[$0] }, from: two, on: connection)
                let addedCount = try RepositoryVersions.add(
                    try Self.insertFiles(added, on: connection), to: two, on: connection)
                _ = try RepositoryVersions.finish(two, on: connection)
                return [removedCount, addedCount]
            }
            #expect(changes == [3, 5])
            let held = try await database.withConnection { connection in
                try [1, 2].map { try RepositoryVersions.contentIDs(of: repositoryID, number: $0, on: connection).count }
            }
            #expect(held == [Self.size, Self.size + 2])

            let list = ContentList(client: client, repository: repository)
            #expect(try await list.count("repository_version", 0) == 0)
            #expect(try await list.count("repository_version", 1) == Self.size)
            #expect(try await list.count("repository_version", 2) == Self.size + 2)
            #expect(try await list.count("repository_version", 3) == 0)
            #expect(try await list.count("repository_version_added", 1) == Self.size)
            #expect(try await list.paths("repository_version_added", 2) == added)
            #expect(try await list.count("repository_version_removed", 1) == 0)
            #expect(try await list.paths("repository_version_removed", 2) == removed)
            // Another filter before the version's (bound first), the page's limits after it.
            #expect(try await list.count("repository_version", 1, "&relative_path=f/001234") == 1)
            #expect(try await list.count("repository_version", 2, "&relative_path=f/001234") == 0)
            #expect(try await list.count("repository_version", 2, "&relative_path=g/3&offset=0") == 1)
        }
    }

    /// Lists a repository's file content by one of its versions.
    struct ContentList {
        let client: any TestClientProtocol
        let repository: String

        /// How many units `?filter=<version href>` selects, `more` parameters added.
        func count(_ filter: String, _ version: Int, _ more: String = "") async throws -> Int? {
            let answer = try await get(filter, version, more)
            #expect(answer.status == .ok, "\(filter) \(version): \(answer.json)")
            return answer.json["count"]?.int.map(Int.init)
        }

        /// The relative paths `?filter=<version href>` selects on its first page.
        func paths(_ filter: String, _ version: Int) async throws -> [String] {
            FileSyncTests.names(try await get(filter, version).json)
        }

        private func get(_ filter: String, _ version: Int, _ more: String = "") async throws
            -> (status: HTTPResponse.Status, headers: HTTPFields, json: JSONValue)
        {
            try await client.json(
                .get, fileContentPath + "?\(filter)=\(repository)versions/\(version)/&limit=10\(more)")
        }
    }

    /// `n` with leading zeros to six digits, so paths sort as numbers.
    static func padded(_ n: Int) -> String {
        String(repeating: "0", count: max(0, 6 - String(n).count)) + String(n)
    }

    /// Inserts a file content unit at each path (all with one digest); returns their keys.
    static func insertFiles(_ paths: [String], on connection: Connection) throws -> [UUID] {
        let ids = paths.map { _ in UUID() }
        let now = DatabaseValue.timestamp(Date())
        try insertRows(
            into: Content.tableName, columns: ["pulp_id", "pulp_type", "pulp_created", "timestamp_of_interest"],
            ids.map { [.uuid($0), .text(FileContent.pulpType), now, now] }, on: connection)
        try insertRows(
            into: FileContent.tableName, columns: ["pulp_id", "relative_path", "digest"],
            zip(ids, paths).map { [.uuid($0), .text($1), .text(digest("a"))] }, on: connection)
        return ids
    }

    /// Inserts rows 500 to a statement, well below either engine's limit on bound values.
    static func insertRows(
        into table: String, columns: [String], _ rows: [[DatabaseValue]], on connection: Connection
    ) throws {
        let p = connection.dialect.placeholder
        let names = columns.map(quoteIdentifier).joined(separator: ", ")
        for start in stride(from: 0, to: rows.count, by: 500) {
            let batch = rows[start..<min(start + 500, rows.count)]
            let tuples = (0..<batch.count).map { row in
                "(" + (1...columns.count).map { p(row * columns.count + $0) }.joined(separator: ", ") + ")"
            }
            try connection.execute(
                "INSERT INTO \(quoteIdentifier(table)) (\(names)) VALUES \(tuples.joined(separator: ", "))",
                batch.flatMap { $0 })
        }
    }
}
