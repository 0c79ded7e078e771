import TandemDatabase
import TandemTesting
import Testing

@Suite("Integer extremes, NULLs and large values survive both drivers")
struct ValueExtremesTests {
    static let integers: [Int64] = [.min, .min + 1, -1, 0, 1, Int64(Int32.max) + 1, .max - 1, .max]

    @Test(arguments: TestDatabaseKind.allCases)
    func int64ExtremesRoundTripCompareAndSort(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript("CREATE TABLE n (v BIGINT NOT NULL)")
                for value in Self.integers.shuffled() { try connection.execute("INSERT INTO n (v) VALUES ($1)", value) }
                let sorted = try connection.query("SELECT v FROM n ORDER BY v").map { try $0.decode(Int64.self, "v") }
                #expect(sorted == Self.integers)
                for value in Self.integers {
                    let found = try connection.query("SELECT v FROM n WHERE v = $1", value)
                    #expect(try found.map { try $0.decode(Int64.self, "v") } == [value])
                    #expect(found.first?["v"] == .integer(value))
                }
                let bounds = try connection.query("SELECT min(v) AS low, max(v) AS high FROM n")[0]
                #expect(try bounds.decode(Int64.self, "low") == .min)
                #expect(try bounds.decode(Int64.self, "high") == .max)
                let tooBig = thrownError { _ = try bounds.decode(Int32.self, "high") }
                #expect((tooBig as? DatabaseError)?.kind == .decoding)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func nullsBindReadAndCompare(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let types =
                    kind == .postgres
                    ? "i BIGINT, d DOUBLE PRECISION, b BOOLEAN, t TEXT, r BYTEA, at TIMESTAMPTZ, u UUID, j JSONB"
                    : "i BIGINT, d REAL, b BOOLEAN, t TEXT, r BLOB, at TIMESTAMP, u UUID, j JSON"
                try connection.executeScript("CREATE TABLE maybe (id BIGINT PRIMARY KEY, \(types))")
                let nulls = [DatabaseValue](repeating: .null, count: 8)
                try connection.execute(
                    "INSERT INTO maybe VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", [.integer(1)] + nulls)
                try connection.execute(
                    "INSERT INTO maybe (id, i, t) VALUES ($1, $2, $3)", [.integer(2), .integer(0), .text("")])
                let row = try connection.query("SELECT i, d, b, t, r, at, u, j FROM maybe WHERE id = 1")[0]
                #expect(row.values == nulls)
                #expect(try row.decode(Int?.self, "i") == nil)
                #expect(try row.decode(String?.self, "t") == nil)
                let missing = thrownError { _ = try row.decode(Int.self, "i") }
                #expect((missing as? DatabaseError)?.kind == .decoding)
                // Zero and the empty string are values, not NULL.
                let count = { (sql: String) throws -> Int in try connection.query(sql)[0].decode(Int.self, "n") }
                #expect(try count("SELECT count(*) AS n FROM maybe WHERE i IS NULL") == 1)
                #expect(try count("SELECT count(*) AS n FROM maybe WHERE t IS NULL") == 1)
                #expect(try count("SELECT count(*) AS n FROM maybe WHERE t = ''") == 1)
                let second = try connection.query("SELECT i, t, d FROM maybe WHERE id = 2")[0]
                #expect(second.values == [.integer(0), .text(""), .null])
                #expect(try connection.query("SELECT NULL AS x")[0]["x"] == .null)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func largeTextAndBytesRoundTrip(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let blob = kind == .postgres ? "BYTEA" : "BLOB"
                try connection.executeScript("CREATE TABLE big (id BIGINT PRIMARY KEY, t TEXT, r \(blob))")
                // About 8 MB of text with one-, two-, three- and four-byte characters.
                let text = String(repeating: "aé日🚀 ", count: 700_000)
                let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
                try connection.execute("INSERT INTO big (id, t, r) VALUES ($1, $2, $3)", 1, text, bytes)
                let row = try connection.query("SELECT t, r, length(t) AS chars FROM big WHERE id = 1")[0]
                #expect(try row.decode(String.self, "t") == text)
                #expect(try row.decode([UInt8].self, "r") == bytes)
                #expect(try row.decode(Int.self, "chars") == text.unicodeScalars.count)
                let found = try connection.query("SELECT id FROM big WHERE t = $1", text)
                #expect(found.count == 1)
            }
        }
    }
}
