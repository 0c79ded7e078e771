import TandemDatabase
import TandemTesting
import Testing

@Suite("Transactions commit, roll back and nest with savepoints")
struct TransactionTests {
    struct Boom: Error, Equatable {
        let level: Int
    }

    static func makeTable(_ connection: Connection) throws {
        try connection.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)")
    }

    static func items(_ connection: Connection) throws -> [Int] {
        try connection.query("SELECT n FROM item ORDER BY n").map { try $0.decode(Int.self, "n") }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func commitKeepsTheWork(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                let returned = try connection.transaction {
                    #expect(connection.isInTransaction)
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                    return "done"
                }
                #expect(returned == "done")
                #expect(!connection.isInTransaction)
                #expect(try Self.items(connection) == [1, 2])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func thrownErrorRollsBackAndIsRethrown(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                let error = thrownError {
                    try connection.transaction {
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                        try connection.execute("DELETE FROM item WHERE n = $1", 1)
                        throw Boom(level: 1)
                    }
                }
                #expect(error as? Boom == Boom(level: 1))
                #expect(!connection.isInTransaction)
                #expect(try Self.items(connection) == [1])
                // The connection goes on working after the rollback.
                try connection.transaction { try connection.execute("INSERT INTO item (n) VALUES ($1)", 3) }
                #expect(try Self.items(connection) == [1, 3])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func failedStatementRollsBackTheTransaction(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                let error = thrownError {
                    try connection.transaction {
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    }
                }
                #expect((error as? DatabaseError)?.isUniqueViolation == true)
                #expect(!connection.isInTransaction)
                #expect(try Self.items(connection) == [])
            }
        }
    }

    /// A body that swallows a failed statement's error: PostgreSQL has aborted the transaction
    /// and would answer `COMMIT` with a silent rollback, so the call throws (25P02) and nothing
    /// is reported committed that was lost; SQLite rolls back the failed statement alone and
    /// commits the rest. A nested transaction around the statement is the way to go on.
    @Test(arguments: TestDatabaseKind.allCases)
    func aSwallowedFailureIsNeverReportedCommitted(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                let error = thrownError {
                    try connection.transaction {
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                        _ = try? connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    }
                }
                #expect(!connection.isInTransaction)
                if kind == .postgres {
                    let aborted = try #require(error as? DatabaseError)
                    #expect(aborted.code == "25P02")
                    #expect(aborted.description.contains("rolled back"))
                    #expect(try Self.items(connection) == [])
                } else {
                    #expect(error == nil)
                    #expect(try Self.items(connection) == [1])
                }
                // Nested: the inner transaction reports it, the outer goes on and commits.
                try connection.transaction {
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                    let inner = thrownError {
                        try connection.transaction {
                            _ = try? connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                        }
                    }
                    #expect((inner as? DatabaseError)?.code == (kind == .postgres ? "25P02" : nil))
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 3)
                }
                #expect(try Self.items(connection) == (kind == .postgres ? [2, 3] : [1, 2, 3]))
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func innerRollbackKeepsOuterWorkThreeLevelsDeep(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                try connection.transaction {
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    try connection.transaction {
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                        let inner = thrownError {
                            try connection.transaction {
                                try connection.execute("INSERT INTO item (n) VALUES ($1)", 3)
                                throw Boom(level: 3)
                            }
                        }
                        #expect(inner as? Boom == Boom(level: 3))
                        #expect(connection.isInTransaction)
                        #expect(try Self.items(connection) == [1, 2])
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 22)
                    }
                    // A second level-2 savepoint whose level-3 work committed, then level 2 fails:
                    // both go, level 1 stays.
                    let middle = thrownError {
                        try connection.transaction {
                            try connection.execute("INSERT INTO item (n) VALUES ($1)", 4)
                            try connection.transaction { try connection.execute("INSERT INTO item (n) VALUES ($1)", 5) }
                            throw Boom(level: 2)
                        }
                    }
                    #expect(middle as? Boom == Boom(level: 2))
                    #expect(try Self.items(connection) == [1, 2, 22])
                }
                #expect(!connection.isInTransaction)
                #expect(try Self.items(connection) == [1, 2, 22])
            }
        }
    }

    /// PostgreSQL aborts the whole transaction on a failed statement; the savepoint must bring
    /// it back, so the outer transaction can go on and commit. SQLite must behave the same.
    @Test(arguments: TestDatabaseKind.allCases)
    func failedStatementInASavepointLeavesTheOuterTransactionUsable(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.makeTable(connection)
                try connection.transaction {
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    for level in 2...3 {
                        let error = thrownError {
                            try connection.transaction {
                                try connection.execute("INSERT INTO item (n) VALUES ($1)", level * 10)
                                try connection.transaction {
                                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                                }
                            }
                        }
                        #expect((error as? DatabaseError)?.isUniqueViolation == true)
                    }
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                }
                #expect(try Self.items(connection) == [1, 2])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func uncommittedWorkIsInvisibleToOtherConnections(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 2) { database in
            try database.withConnection { try Self.makeTable($0) }
            try database.withConnection { writer in
                try writer.transaction {
                    try writer.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    let seen = try database.withConnection { reader in try Self.items(reader) }
                    #expect(seen == [])
                }
                let seen = try database.withConnection { reader in try Self.items(reader) }
                #expect(seen == [1])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func databaseTransactionCommitsOrRollsBack(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try Self.makeTable($0) }
            let count = try await database.transaction { connection in
                try connection.execute("INSERT INTO item (n) VALUES ($1)", 7)
            }
            #expect(count == 1)
            let error = await thrownError {
                try await database.transaction { connection in
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 8)
                    throw Boom(level: 1)
                }
            }
            #expect(error as? Boom == Boom(level: 1))
            try await database.transaction { connection in try connection.execute("INSERT INTO item (n) VALUES ($1)", 9)
            }
            #expect(try await database.withConnection { try Self.items($0) } == [7, 9])
        }
    }
}
