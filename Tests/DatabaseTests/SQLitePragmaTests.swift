import TandemDatabase
import TandemTesting
import Testing

@Suite("SQLite connections open with foreign keys, WAL and a busy timeout")
struct SQLitePragmaTests {
    static func pragma(_ name: String, _ connection: Connection) throws -> String {
        let value = try connection.query("PRAGMA \(name)")[0][0]
        return String.fromDatabaseValue(value) ?? "\(value)"
    }

    /// Pragmas belong to a connection, so every connection of the pool is checked.
    @Test(arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func everyConnectionHasThePragmas(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 3) { database in
            func check(_ connections: [Connection]) throws {
                guard connections.count < database.maximumConnections else {
                    #expect(Set(connections.map { ObjectIdentifier($0) }).count == database.maximumConnections)
                    return
                }
                try database.withConnection { connection in
                    #expect(try Self.pragma("foreign_keys", connection) == "1")
                    #expect(try Self.pragma("journal_mode", connection) == (kind == .sqliteFile ? "wal" : "memory"))
                    #expect(try Self.pragma("busy_timeout", connection) == "5000")
                    try check(connections + [connection])
                }
            }
            try check([])
        }
    }

    @Test(arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func foreignKeysAreEnforced(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE parent (id BIGINT PRIMARY KEY);
                    CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL REFERENCES parent (id) ON DELETE CASCADE)
                    """)
                let orphan = thrownError { try connection.execute("INSERT INTO child (id, parent_id) VALUES (1, 99)") }
                #expect((orphan as? DatabaseError)?.isForeignKeyViolation == true)
                try connection.execute("INSERT INTO parent (id) VALUES (1)")
                try connection.execute("INSERT INTO child (id, parent_id) VALUES (1, 1)")
                try connection.execute("DELETE FROM parent WHERE id = 1")
                #expect(try connection.query("SELECT count(*) AS n FROM child")[0].decode(Int.self, "n") == 0)
            }
        }
    }

    /// A writer waits `busyTimeout` for another connection's write lock, then gives up with a
    /// lock-timeout error.
    @Test func busyTimeoutWaitsThenGivesUp() throws {
        let test = try TestDatabase(.sqliteFile)
        defer { test.drop() }
        let url = try DatabaseURL(test.url)
        let database = try Database(url: url, maximumConnections: 2, busyTimeout: .milliseconds(300))
        defer { database.close() }
        try database.withConnection { holder in
            #expect(try Self.pragma("busy_timeout", holder) == "300")
            try holder.executeScript("CREATE TABLE t (n BIGINT)")
            try holder.transaction {
                try holder.execute("INSERT INTO t (n) VALUES (1)")
                let clock = ContinuousClock()
                let start = clock.now
                let error = thrownError {
                    _ = try database.withConnection { waiter in try waiter.execute("INSERT INTO t (n) VALUES (2)") }
                }
                let waited = clock.now - start
                #expect((error as? DatabaseError)?.isLockTimeout == true, "\(String(describing: error))")
                #expect(waited >= .milliseconds(250))
                #expect(waited < .seconds(5))
            }
            #expect(try holder.query("SELECT n FROM t").map { try $0.decode(Int.self, "n") } == [1])
        }
    }
}
