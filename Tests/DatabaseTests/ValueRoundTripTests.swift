import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("Bound values round-trip through both drivers")
struct ValueRoundTripTests {
    static let hostileTexts = [
        "", "it's", "\"quoted\"", "a; DROP TABLE t; --", "back\\slash\\", "ünïcødé 日本語 🚀", "\n\t\r",
        "$1 ?1 ? :name", String(repeating: "large text ", count: 100_000),
    ]

    static func createTable(_ connection: Connection) throws {
        let typed: (String, String) -> String = { postgres, sqlite in connection.dialect == .postgres ? postgres : sqlite }
        try connection.executeScript(
            """
            CREATE TABLE "odd ""table"" name" (
                "id" \(typed("BIGSERIAL", "INTEGER")) PRIMARY KEY,
                "the int" BIGINT, "dbl" \(typed("DOUBLE PRECISION", "REAL")), "flag" BOOLEAN, "txt" TEXT,
                "raw" \(typed("BYTEA", "BLOB")), "at" \(typed("TIMESTAMPTZ", "TIMESTAMP")), "uid" UUID,
                "doc" \(typed("JSONB", "JSON"))
            )
            """)
    }

    static let insert = """
        INSERT INTO "odd ""table"" name" ("the int", "dbl", "flag", "txt", "raw", "at", "uid", "doc")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "id"
        """

    @Test(arguments: TestDatabaseKind.allCases)
    func everyTypeRoundTrips(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.createTable(connection)
                let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
                let uuid = UUID()
                var rows: [[DatabaseValue]] = [
                    [.integer(.max), .double(1.5e-300), .bool(true), .text("x"), .bytes([0, 1, 255]), .timestamp(date), .uuid(uuid), .json(#"{"a": [1, "b"]}"#)],
                    [.integer(.min), .double(-0.1), .bool(false), .text(""), .bytes([]), .timestamp(Date(timeIntervalSince1970: -86_400.5)), .uuid(UUID()), .json("[]")],
                    [.null, .null, .null, .null, .null, .null, .null, .null],
                ]
                for text in Self.hostileTexts {
                    rows.append([.integer(0), .double(0), .bool(false), .text(text), .bytes(Array(text.utf8)), .null, .null, .null])
                }
                for values in rows {
                    let id = try connection.query(Self.insert, values)[0].decode(Int64.self, "id")
                    let read = try connection.query(
                        #"SELECT "the int", "dbl", "flag", "txt", "raw", "at", "uid", "doc" FROM "odd ""table"" name" WHERE "id" = $1"#,
                        [.integer(id)])
                    #expect(read.count == 1)
                    let got = read[0].values
                    #expect(got[0] == values[0])
                    #expect(got[1] == values[1])
                    #expect(got[2] == values[2])
                    #expect(got[3] == values[3])
                    #expect(got[4] == values[4])
                    #expect(got[5] == values[5])
                    #expect(got[6] == values[6])
                    if case .json(let json) = values[7] {
                        // PostgreSQL's JSONB normalises whitespace; compare parsed documents.
                        let gotJSON = try #require(String.fromDatabaseValue(got[7]))
                        #expect(try Self.parse(gotJSON) == Self.parse(json))
                    } else {
                        #expect(got[7] == .null)
                    }
                }
                let count = try connection.query(#"SELECT count(*) AS n FROM "odd ""table"" name""#)[0].decode(Int.self, "n")
                #expect(count == rows.count)
            }
        }
    }

    static func parse(_ json: String) throws -> NSDictionary {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        return ["value": object]
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func statementsAreReusedWithNewValues(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript("CREATE TABLE t (n BIGINT)")
                for n in 0..<200 { try connection.execute("INSERT INTO t (n) VALUES ($1)", n) }
                let sum = try connection.query("SELECT sum(n) AS s FROM t")[0].decode(Int.self, "s")
                #expect(sum == (0..<200).reduce(0, +))
                let second = try connection.query("SELECT n FROM t WHERE n = $1 OR n = $1 + 1 ORDER BY n", 7)
                #expect(try second.map { try $0.decode(Int.self, "n") } == [7, 8])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func errorsCarryCodeMessageAndStatement(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript("CREATE TABLE u (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
                try connection.execute("INSERT INTO u (id, name) VALUES ($1, $2)", 1, "secret-value")
                let error = try #require(throws: DatabaseError.self) {
                    try connection.execute("INSERT INTO u (id, name) VALUES ($1, $2)", 1, "secret-value")
                }
                #expect(error.isUniqueViolation)
                #expect(error.kind == .statement)
                #expect(error.statement == "INSERT INTO u (id, name) VALUES ($1, $2)")
                #expect(error.code == (kind == .postgres ? "23505" : "1555"))
                #expect(!error.description.contains("secret-value"))
                let notNull = try #require(throws: DatabaseError.self) {
                    try connection.execute("INSERT INTO u (id, name) VALUES ($1, $2)", 2, DatabaseValue.null)
                }
                #expect(notNull.isNotNullViolation)
                let syntax = try #require(throws: DatabaseError.self) { try connection.query("SELEC 1") }
                #expect(syntax.message.contains("syntax"))
            }
        }
    }
}
