import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TandemDatabase
import TandemHTTP
import TandemORM
import TandemTesting
import Testing

/// A plain model whose table checks more than its serializer does: the database, not the
/// model, refuses a non-positive `amount`, and PostgreSQL an `INTEGER` past 32 bits.
struct CheckedAmount: Model, APIResource {
    static let tableName = "fuzz_checkedamount"
    var pulpID = UUID()
    var name: String
    var amount: Int
    var small: Int? = nil

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", name, amount, small
    }

    mutating func keepStoredFields(of stored: CheckedAmount) { pulpID = stored.pulpID }
}

/// Regression tests for what schemathesis sent `tandem serve` (scripts/api-fuzz-check): each
/// answered 500, or crashed the server, before its fix.
@Suite("REST: fuzzed input")
struct FuzzedInputTests {
    @Test(arguments: TestDatabaseKind.engines)
    func offsetsNearIntMaxAnswerAnEmptyPage(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, _ in
            let created = try await client.json(.post, fileRemotesPath, #"{"name": "one", "url": "https://e/"}"#)
            #expect(created.status == .created)
            for query in ["offset=9223372036854775807", "limit=1000&offset=9223372036854775000"] {
                let page = try await client.json(.get, fileRemotesPath + "?" + query)
                #expect(page.status == .ok, "\(query)")
                #expect(page.json["count"]?.int == 1)
                #expect(page.json["results"]?.array?.isEmpty == true)
                #expect(page.json["next"] == .null)
                #expect(page.json["previous"]?.string?.contains("offset=") == true)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func nullCharactersAreRefusedInBodiesAndFilters(_ kind: TestDatabaseKind) async throws {
        try await withTestAPI(kind) { client, database in
            let body = try await client.json(.post, fileRemotesPath, #"{"name": "a\u0000b", "url": "https://e/"}"#)
            #expect(body.status == .badRequest)
            #expect(body.json["name"] == .array([.string("Null characters are not allowed.")]))
            #expect(body.json["url"] == nil)

            let nested = try await client.json(.post, fileRemotesPath, #"["x\u0000"]"#)
            #expect(nested.status == .badRequest)
            #expect(nested.json["non_field_errors"] != nil)

            let filter = try await client.json(.get, fileRemotesPath + "?name=a%00b&url__contains=%00")
            #expect(filter.status == .badRequest)
            #expect(filter.json.keys == ["name", "url__contains"])

            let count = try await database.withConnection { try $0.query("SELECT pulp_id FROM core_remote") }.count
            #expect(count == 0)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func valuesTheDatabaseRefusesAreBadRequests(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE fuzz_checkedamount (
                        pulp_id UUID PRIMARY KEY, name TEXT NOT NULL, amount BIGINT NOT NULL CHECK (amount > 0),
                        small INTEGER);
                    """)
            }
            var api = API(database: database)
            api.register(ViewSet<CheckedAmount>("amounts"))
            try await Application(router: api.router()).test(.router) { client in
                let path = "/pulp/api/v3/amounts/"
                let refused = try await client.json(.post, path, #"{"name": "negative", "amount": -5}"#)
                #expect(refused.status == .badRequest)
                #expect(refused.headers[.contentType] == "application/json")
                #expect(refused.json["detail"]?.string == "Invalid input: the database refused a value of the request.")
                // The message never quotes the refused value.
                #expect(refused.json["detail"]?.string?.contains("-5") == false)

                // PostgreSQL's INTEGER holds 32 bits; SQLite's holds 64.
                let wide = try await client.json(.post, path, #"{"name": "wide", "amount": 1, "small": 3000000000}"#)
                #expect(wide.status == (kind == .postgres ? .badRequest : .created))

                let stored = try await database.withConnection { try $0.query("SELECT name FROM fuzz_checkedamount") }
                #expect(stored.count == (kind == .postgres ? 0 : 1))
            }
        }
    }
}
