import TandemDatabase
import TandemTesting
import Testing

@Suite("Hostile identifiers stay one identifier through quoteIdentifier")
struct IdentifierQuotingTests {
    static let hostileNames = [
        #"say "hi""#, #"""#, #""""#, "with space", " padded ", "ünïcødé 表名", "🚀rocket",
        "select", "order", "table", "user", "group", "Mixed Case", "semi;colon -- DROP TABLE x",
        "$1 ?1 :name", "back\\slash", "it's", "dot.ted",
    ]

    @Test func quotingDoublesEmbeddedQuotes() {
        #expect(quoteIdentifier("plain") == #""plain""#)
        #expect(quoteIdentifier(#"a"b"#) == #""a""b""#)
        #expect(quoteIdentifier(#"""#) == #""""""#)
        #expect(quoteIdentifier("it's") == #""it's""#)
        for dialect in Dialect.allCases {
            #expect(dialect.quote(#"x"y"#) == quoteIdentifier(#"x"y"#))
        }
    }

    /// Every hostile name as a table and as a column, written, read back and found under its
    /// exact name in the database's own catalogue.
    @Test(arguments: TestDatabaseKind.allCases)
    func hostileNamesRoundTrip(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                for (index, name) in Self.hostileNames.enumerated() {
                    let table = quoteIdentifier(name)
                    let column = quoteIdentifier(name + " col")
                    try connection.executeScript("CREATE TABLE \(table) (\(column) BIGINT, \"plain\" TEXT)")
                    try connection.execute("INSERT INTO \(table) (\(column), \"plain\") VALUES ($1, $2)", index, name)
                    let rows = try connection.query("SELECT \(column), \"plain\" FROM \(table)")
                    #expect(rows.count == 1)
                    #expect(rows.first?.columns == [name + " col", "plain"])
                    #expect(try rows.first?.decode(Int.self, name + " col") == index)
                    #expect(try rows.first?.decode(String.self, "plain") == name)
                    #expect(try Self.columns(of: name, connection) == [name + " col", "plain"])
                }
                let tables = try Self.tables(connection)
                #expect(tables == Set(Self.hostileNames), "missing: \(Set(Self.hostileNames).subtracting(tables))")
                for name in Self.hostileNames {
                    try connection.executeScript("DROP TABLE \(quoteIdentifier(name))")
                }
                #expect(try Self.tables(connection).isEmpty)
            }
        }
    }

    /// A name that would be folded to lower case unquoted keeps its case when quoted, and the
    /// two are different tables (PostgreSQL folds unquoted names; SQLite compares them without case).
    @Test(arguments: TestDatabaseKind.allCases)
    func quotedNamesKeepTheirCase(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript("CREATE TABLE \(quoteIdentifier("CamelCase")) (n BIGINT)")
                try connection.execute("INSERT INTO \(quoteIdentifier("CamelCase")) (n) VALUES ($1)", 1)
                #expect(try Self.tables(connection) == ["CamelCase"])
                let unquoted = thrownError { _ = try connection.query("SELECT n FROM camelcase") }
                if kind == .postgres {
                    #expect((unquoted as? DatabaseError)?.code == "42P01")  // undefined_table
                } else {
                    #expect(unquoted == nil)
                }
            }
        }
    }

    static func tables(_ connection: Connection) throws -> Set<String> {
        let sql =
            connection.dialect == .postgres
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'table'"
        return Set(try connection.query(sql).map { try $0.decode(String.self, "name") })
    }

    static func columns(of table: String, _ connection: Connection) throws -> [String] {
        let sql =
            connection.dialect == .postgres
            ? """
            SELECT column_name AS name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """
            : "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
        return try connection.query(sql, [.text(table)]).map { try $0.decode(String.self, "name") }
    }
}
