import TandemDatabase
import Testing

@testable import TandemTriggers

@Suite("SQLite's conversion checks read values as PostgreSQL's casts do")
struct SQLiteConversionCheckTests {
    @Test func theSQLiteChecksReadValuesAsPostgreSQLDoes() throws {
        let accepted: [(String, String)] = [
            ("integer", "'42'"), ("integer", "' -7 '"), ("integer", "12"), ("integer", "NULL"), ("bigint", "'+3'"),
            ("numeric", "'1.5e3'"), ("real", "'-0.25'"), ("boolean", "' 1 '"), ("boolean", "0"), ("bool", "NULL"),
        ]
        let refused: [(String, String)] = [
            ("integer", "'12 KB'"), ("integer", "'large'"), ("integer", "''"), ("integer", "'1.5'"),
            ("integer", "'--1'"),
            ("numeric", "'1.2.3'"), ("numeric", "'abc'"), ("boolean", "'maybe'"), ("boolean", "'true'"),
            ("boolean", "2"),
        ]
        let database = try Database("sqlite::memory:")
        defer { database.close() }
        try database.withConnection { connection in
            for (type, value) in accepted + refused {
                let predicate = try #require(SQLiteConversionCheck.predicate(for: type))
                let valid = try connection.query(
                    "SELECT \(predicate) AS valid FROM (SELECT \(value) AS tandem_value)")[0].decode(Bool.self, "valid")
                let expected = accepted.contains { $0 == (type, value) }
                #expect(valid == expected, "\(value) as \(type)")
            }
        }
    }

}
