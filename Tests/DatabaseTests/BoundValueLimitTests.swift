import TandemDatabase
import TandemTesting
import Testing

/// A statement binds at most 65,535 values on PostgreSQL and 32,766 on SQLite, whatever the
/// SQLite build allows: code that passes here must not fail on a stock SQLite elsewhere.
@Suite("One statement binds the same most values on every build")
struct BoundValueLimitTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func theLastAllowedValueBindsAndOneMoreFailsClearly(_ kind: TestDatabaseKind) async throws {
        let limit = kind == .postgres ? 65_535 : 32_766
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                func matches(binding count: Int) throws -> Int {
                    let list = (1...count).map(connection.dialect.placeholder).joined(separator: ", ")
                    let values = (0..<count).map { DatabaseValue.integer(Int64($0)) }
                    return try connection.query("SELECT 1 AS one WHERE \(count - 1) IN (\(list))", values).count
                }
                #expect(try matches(binding: limit) == 1)
                let error = thrownError { _ = try matches(binding: limit + 1) }
                let databaseError = try #require(error as? DatabaseError, "\(limit + 1) values bound")
                #expect(databaseError.kind == .statement)
                if kind == .postgres { #expect(databaseError.message.contains("\(limit + 1) values")) }
                // The connection goes on.
                #expect(try matches(binding: 3) == 1)
            }
        }
    }
}
