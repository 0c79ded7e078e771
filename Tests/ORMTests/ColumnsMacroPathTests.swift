import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

/// The reference's Remote without `@Columns`: decoded through `Decodable`.
private struct CodableRemote: MasterModel, Equatable {
    static let tableName = "core_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var pulpID: UUID
    var pulpType: String
    var name: String
    var url: String
    var policy: String
    var downloadConcurrency: Int?
    var headers: [String: String]?
    var created: Date

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", name, url, policy
        case downloadConcurrency = "download_concurrency", headers, created
    }
}

@Suite("@Columns reads and writes what Codable does")
struct ColumnsMacroPathTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func fastAndCodablePathsAgree(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection(createReferenceTables)
            var withEverything = makeFileRemote("all set", manifest: "m")
            withEverything.downloadConcurrency = 4
            withEverything.headers = ["k": "v", "quote": "it's"]
            try await withEverything.create(on: database)
            var withNulls = makeFileRemote("nulls")
            try await withNulls.create(on: database)

            let fast = try await Remote.query(on: database).order(Column("name")).all()
            let codable = try await CodableRemote.query(on: database).order(Column("name")).all()
            #expect(fast.count == 2)
            for (fast, codable) in zip(fast, codable) {
                #expect(fast.pulpID == codable.pulpID)
                #expect(fast.pulpType == codable.pulpType)
                #expect(fast.name == codable.name)
                #expect(fast.policy == codable.policy)
                #expect(fast.downloadConcurrency == codable.downloadConcurrency)
                #expect(fast.headers == codable.headers)
                #expect(fast.created == codable.created)
            }
            #expect(fast[0] == withEverything.master)
            #expect(fast[1] == withNulls.master)

            // Written through Codable's encoder, read through @Columns.
            var plain = CodableRemote(
                pulpID: UUID(), pulpType: "other.plain", name: "plain", url: "https://p/", policy: "streamed",
                downloadConcurrency: nil, headers: ["a": "b"], created: Date(timeIntervalSince1970: 1_600_000_000.25))
            try await plain.create(on: database)
            let read = try #require(try await Remote.find(plain.pulpID, on: database))
            #expect(read.name == plain.name)
            #expect(read.headers == plain.headers)
            #expect(read.created == plain.created)
            #expect(read.downloadConcurrency == nil)
        }
    }

    @Test func errorsNameTheColumn() throws {
        let missing = Row(columns: ["pulp_id", "pulp_type"], values: [.uuid(UUID()), .text("file.file")])
        let missingError = try #require(throws: DecodingError.self) { try Remote(row: missing) }
        #expect("\(missingError)".contains("no column name"))
        var columns = ["pulp_id", "pulp_type", "name", "url", "policy", "download_concurrency", "headers", "created"]
        var values: [DatabaseValue] = [
            .uuid(UUID()), "file.file", "n", "u", "immediate", .text("many"), .null, .timestamp(Date()),
        ]
        let mismatchError = try #require(throws: DecodingError.self) {
            try Remote(row: Row(columns: columns, values: values))
        }
        #expect("\(mismatchError)".contains("column download_concurrency holds text, not Int"))
        columns.removeLast()
        values.removeLast()
        #expect(throws: DecodingError.self) { try Remote(row: Row(columns: columns, values: values)) }
    }
}
