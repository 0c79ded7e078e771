import TandemDatabase
import TandemTesting
import Testing

@Suite("execute returns the number of rows the statement itself changed")
struct ChangedRowCountTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func countsBelongToTheStatement(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection throws in
                #expect(try connection.execute("CREATE TABLE t (n BIGINT)") == 0)
                #expect(try connection.execute("INSERT INTO t (n) VALUES (1), (2), (3)") == 3)
                // A statement that changes no row reports 0, not the count of the one before it.
                #expect(try connection.execute("CREATE TABLE u (n BIGINT)") == 0)
                #expect(try connection.execute("CREATE INDEX t_n ON t (n)") == 0)
                #expect(try connection.execute("UPDATE t SET n = n + 1 WHERE n > $1", [.integer(10)]) == 0)
                #expect(try connection.execute("UPDATE t SET n = n + 1 WHERE n >= $1", [.integer(2)]) == 2)
                #expect(try connection.execute("DELETE FROM t") == 3)
                #expect(try connection.execute("DROP TABLE u") == 0)
            }
        }
    }
}
