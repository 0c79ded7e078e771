import TandemDatabase
import TandemTesting
import Testing

@Suite("Constraint errors name what failed and keep row values out of their description")
struct ErrorDetailTests {
    static let secret = "secret-row-value-4711"

    static func failure(_ database: Database, _ sql: String, _ values: [DatabaseValue]) async throws -> DatabaseError {
        let error = await thrownError {
            try await database.withConnection { _ = try $0.execute(sql, values) }
        }
        return try #require(error as? DatabaseError, "\(String(describing: error))")
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func uniqueViolationKeepsTheValueInDetailOnly(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE account (id BIGINT PRIMARY KEY, name TEXT NOT NULL,
                        CONSTRAINT account_name_key UNIQUE (name))
                    """)
                try connection.execute("INSERT INTO account (id, name) VALUES ($1, $2)", 1, Self.secret)
            }
            let error = try await Self.failure(
                database, "INSERT INTO account (id, name) VALUES ($1, $2)", [.integer(2), .text(Self.secret)])
            #expect(error.isUniqueViolation)
            #expect(!error.description.contains(Self.secret))
            #expect(!error.message.contains(Self.secret))
            #expect(error.table == "account")
            switch kind {
            case .postgres:
                #expect(error.detail?.contains(Self.secret) == true)
                #expect(error.constraint == "account_name_key")
            case .sqliteMemory, .sqliteFile:
                // SQLite's messages name the columns, never the values, and not the constraint.
                #expect(error.detail == nil)
                #expect(error.column == "name")
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func notNullAndCheckViolationsNameTheirColumnAndConstraint(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE account (id BIGINT PRIMARY KEY, name TEXT NOT NULL, size BIGINT,
                        CONSTRAINT account_size_check CHECK (size > 0))
                    """)
            }
            let notNull = try await Self.failure(
                database, "INSERT INTO account (id, name, size) VALUES ($1, NULL, $2)", [.integer(1), .integer(4711)])
            #expect(notNull.isNotNullViolation)
            #expect(notNull.table == "account")
            #expect(notNull.column == "name")
            #expect(!notNull.description.contains("4711"))
            let check = try await Self.failure(
                database, "INSERT INTO account (id, name, size) VALUES ($1, $2, $3)",
                [.integer(1), .text(Self.secret), .integer(-4711)])
            #expect(check.isCheckViolation)
            #expect(check.constraint == "account_size_check")
            #expect(!check.description.contains(Self.secret))
            #expect(!check.description.contains("4711"))
            if kind == .postgres {
                #expect(check.detail?.contains(Self.secret) == true)
            }
        }
    }

    /// PostgreSQL quotes the refused value in the message of a data exception (class 22); the
    /// description, which logs show, replaces it. SQLite stores such values instead of refusing
    /// them, so this is PostgreSQL's by nature.
    @Test func dataExceptionsKeepTheValueOutOfTheDescription() async throws {
        try await withTestDatabase(.postgres) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE measure (id BIGINT PRIMARY KEY, size INTEGER, ref UUID)")
            }
            let range = try await Self.failure(
                database, "INSERT INTO measure (id, size) VALUES (1, $1::text::integer)", [.text("4711000000000")])
            #expect(range.code == "22003")
            #expect(range.message.contains("4711000000000"))
            #expect(!range.description.contains("4711000000000"))
            #expect(range.description.contains("out of range"))
            let syntax = try await Self.failure(
                database, "INSERT INTO measure (id, ref) VALUES (1, $1::uuid)", [.text(Self.secret)])
            #expect(syntax.code == "22P02")
            #expect(!syntax.description.contains(Self.secret))
            #expect(syntax.description.contains("invalid input syntax for type uuid"))
            // A value with quotes of its own: PostgreSQL does not escape them in the message.
            let quoted = "x\"\(Self.secret)\"y"
            let inner = try await Self.failure(database, "SELECT $1::bigint AS n", [.text(quoted)])
            #expect(inner.code == "22P02")
            #expect(inner.message.contains(Self.secret))
            #expect(!inner.description.contains(Self.secret))
            #expect(inner.description.contains("invalid input syntax for type bigint: \"…\""))
        }
    }
}
