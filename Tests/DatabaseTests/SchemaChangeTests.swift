import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// Another process changes a table under a warm connection's statements, as a compatible
/// migration does during a rolling upgrade: the statements go on working and read by name.
@Suite("Warm statements survive another connection's schema change")
struct SchemaChangeTests {
    static let selectAll = "SELECT * FROM item WHERE id = $1"
    static let updateReturningAll = "UPDATE item SET name = $1 WHERE id = $2 RETURNING *"
    static let tableAfterWith = "WITH k AS (SELECT 1) TABLE item"

    /// PostgreSQL only by nature: SQLSTATE 0A000 ("cached plan must not change result type") is
    /// PostgreSQL's check on prepared statements. `SELECT *` and `RETURNING *`, warmed before
    /// another connection adds a column, run inside a transaction that then goes on and commits.
    @Test func addedColumnDoesNotAbortAPostgresTransaction() async throws {
        try await withTestDatabase(.postgres, maximumConnections: 2) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
                try connection.execute("INSERT INTO item (id, name) VALUES ($1, $2)", 1, "a")
            }
            // Expectations stay outside the bodies, which run on the connection's own thread.
            let (inside, after) = try await database.withConnection { old in
                for _ in 0..<3 {
                    _ = try old.query(Self.selectAll, 1)
                    _ = try old.query(Self.updateReturningAll, "a", 1)
                    _ = try old.query("SELECT name FROM item WHERE id = $1", 1)
                    _ = try old.query(Self.tableAfterWith)
                }
                try database.withConnection { other in
                    try other.executeScript("ALTER TABLE item ADD COLUMN note TEXT NOT NULL DEFAULT 'n'")
                }
                let inside = try old.transaction {
                    let rows = [
                        try old.query(Self.selectAll, 1)[0],
                        try old.query(Self.updateReturningAll, "b", 1)[0],
                        try old.query("SELECT name FROM item WHERE id = $1", 1)[0],
                        try old.query(Self.tableAfterWith)[0],
                    ]
                    try old.execute("INSERT INTO item (id, name) VALUES ($1, $2)", 2, "c")
                    return rows
                }
                return (inside, try old.query("SELECT id, name, note FROM item ORDER BY id"))
            }
            #expect(inside[0]["name"] == .text("a"))
            #expect(inside[0]["note"] == .text("n"))
            #expect(inside[1]["name"] == .text("b"))
            #expect(inside[1]["note"] == .text("n"))
            #expect(inside[2]["name"] == .text("b"))
            #expect(inside[3]["note"] == .text("n"))
            #expect(
                after.map { $0.values } == [
                    [.integer(1), .text("b"), .text("n")], [.integer(2), .text("c"), .text("n")],
                ])
        }
    }

    /// PostgreSQL only by nature (0A000). Named columns whose types change under prepared
    /// statements (a migration's `sql` step widening a type, or changing it): outside a
    /// transaction the driver prepares the statement again; inside one, the statement's first
    /// run in the transaction goes unnamed and shows the new columns, so the transaction goes on
    /// and commits what it wrote before and after the read.
    @Test func changedColumnTypeNeitherFailsNorAbortsAPostgresTransaction() async throws {
        try await withTestDatabase(.postgres, maximumConnections: 2) { database in
            try await database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE item (id BIGINT PRIMARY KEY, size INTEGER NOT NULL, name VARCHAR(50) NOT NULL,
                        balance BIGINT NOT NULL)
                    """)
                try connection.execute(
                    "INSERT INTO item (id, size, name, balance) VALUES ($1, $2, $3, $4)", 1, 7, "a", 10)
            }
            let select = "SELECT size, name FROM item WHERE id = $1"
            let deposit = "UPDATE item SET balance = balance + 1 WHERE id = $1"
            let (outside, inside, balance) = try await database.withConnection { old in
                _ = try old.query(select, 1)
                func alter(_ change: String) throws {
                    try database.withConnection { other in try other.executeScript("ALTER TABLE item \(change)") }
                }
                try alter("ALTER COLUMN size TYPE BIGINT")
                let outside = try old.query(select, 1)[0]
                try alter("ALTER COLUMN name TYPE VARCHAR(100)")
                try alter("ALTER COLUMN size TYPE TEXT")
                let inside = try old.transaction {
                    try old.execute(deposit, 1)
                    let rows = [try old.query(select, 1)[0], try old.query(select, 1)[0]]
                    try old.execute(deposit, 1)
                    return rows
                }
                return (outside, inside, try old.query("SELECT balance FROM item WHERE id = $1", 1)[0]["balance"])
            }
            #expect(outside["size"] == .integer(7))
            #expect(inside.map { $0["size"] } == [.text("7"), .text("7")])
            #expect(inside.map { $0["name"] } == [.text("a"), .text("a")])
            #expect(balance == .integer(12))
        }
    }

    /// PostgreSQL only by nature (0A000). A rollback to a savepoint releases the locks taken
    /// since it, those of a statement's first run in the transaction among them: another
    /// connection can then change the statement's table, and the statement's next run checks
    /// its columns again instead of running by name and aborting the transaction.
    @Test func aRollbackToASavepointMakesStatementsCheckAgainOnPostgres() async throws {
        struct Undo: Error {}
        try await withTestDatabase(.postgres, maximumConnections: 2) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (id BIGINT PRIMARY KEY, size INTEGER NOT NULL)")
                try connection.execute("INSERT INTO item (id, size) VALUES ($1, $2)", 1, 7)
            }
            let select = "SELECT size FROM item WHERE id = $1"
            let (read, after) = try await database.withConnection { old in
                _ = try old.query(select, 1)
                let read = try old.transaction {
                    _ = try? old.transaction {
                        _ = try old.query(select, 1)
                        throw Undo()
                    }
                    try database.withConnection { other in
                        try other.executeScript("ALTER TABLE item ALTER COLUMN size TYPE TEXT")
                    }
                    let row = try old.query(select, 1)[0]
                    try old.execute("INSERT INTO item (id, size) VALUES ($1, $2)", 2, "8")
                    return row
                }
                return (read, try old.query("SELECT id FROM item ORDER BY id"))
            }
            #expect(read["size"] == .text("7"))
            #expect(after.map { $0["id"] } == [.integer(1), .integer(2)])
        }
    }

    /// PostgreSQL only by nature. A change the result columns do not show (a collation) fails a
    /// statement's run by name inside a transaction with 0A000, which aborts it; the statement
    /// is dropped on the server too once the transaction has ended, so none piles up.
    @Test func aStatementDroppedInAnAbortedTransactionIsDeallocatedAfterwardsOnPostgres() async throws {
        try await withTestDatabase(.postgres, maximumConnections: 2) { database in
            try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
                try connection.execute("INSERT INTO item (id, name) VALUES ($1, $2)", 1, "a")
            }
            let select = "SELECT name FROM item WHERE id = $1"
            let (error, prepared) = try await database.withConnection { old in
                _ = try old.query(select, 1)
                try database.withConnection { other in
                    try other.executeScript("ALTER TABLE item ALTER COLUMN name TYPE TEXT COLLATE \"POSIX\"")
                }
                let error = thrownError {
                    try old.transaction {
                        _ = try old.query(select, 1)
                        _ = try old.query(select, 1)
                    }
                }
                _ = try old.query(select, 1)
                let prepared = try old.query(
                    "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", select)[0]
                return (error.map { "\($0)" }, prepared)
            }
            #expect(error?.contains("0A000") == true)
            #expect(prepared["n"] == .integer(1))
        }
    }

    /// PostgreSQL only by nature (server-side prepared statements): inside a transaction a
    /// statement runs unnamed only the first time; then its tables are locked until the
    /// transaction ends, and it runs by name.
    @Test func aTransactionRunsItsStatementsByNameAfterTheFirstRunOnPostgres() async throws {
        try await withTestDatabase(.postgres) { database in
            let select = "SELECT name FROM item WHERE id = $1"
            let runs = try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
                _ = try connection.query(select, 1)
                try connection.transaction {
                    for _ in 0..<3 { _ = try connection.query(select, 1) }
                }
                return try connection.query(
                    "SELECT generic_plans + custom_plans AS runs FROM pg_prepared_statements WHERE statement = $1",
                    select)
            }
            #expect(runs.count == 1)
            #expect(runs.first?["runs"] == .integer(3))
        }
    }

    /// PostgreSQL only by nature (server-side prepared statements): statements that name their
    /// columns stay prepared and reused; those under `*` run unprepared.
    @Test func namedColumnStatementsStayPreparedOnPostgres() async throws {
        try await withTestDatabase(.postgres) { database in
            let prepared = try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
                for _ in 0..<2 {
                    _ = try connection.query("SELECT name FROM item WHERE id = $1", 1)
                    _ = try connection.query("SELECT count(*) AS n FROM item")
                    _ = try connection.query(Self.selectAll, 1)
                    _ = try connection.query("SELECT i.* FROM item i")
                }
                return try connection.query("SELECT statement FROM pg_prepared_statements").map {
                    try $0.decode(String.self, "statement")
                }
            }
            #expect(prepared.filter { $0 == "SELECT name FROM item WHERE id = $1" }.count == 1)
            #expect(prepared.contains("SELECT count(*) AS n FROM item"))
            #expect(!prepared.contains(Self.selectAll))
            #expect(!prepared.contains("SELECT i.* FROM item i"))
        }
    }

    /// SQLite prepares a statement again inside `sqlite3_step` after a schema change; the row's
    /// column names and kinds must come from that new statement. A column added, then the table
    /// rebuilt with its columns in another order (a boolean moved too), read by name each time.
    @Test func sqliteReadsColumnsOfTheStatementAsPreparedAgain() async throws {
        try await withTestDatabase(.sqliteFile, maximumConnections: 2) { database in
            try await database.withConnection { connection in
                try connection.executeScript(
                    "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, done BOOLEAN NOT NULL, size BIGINT NOT NULL)"
                )
                try connection.execute(
                    "INSERT INTO item (id, name, done, size) VALUES ($1, $2, $3, $4)", 1, "one", true, 42)
            }
            // Each read is returned and checked here: bodies run on the connection's own thread.
            let reads = try await database.withConnection { old in
                var reads = [try old.query(Self.selectAll, 1)[0]]
                try database.withConnection { other in
                    try other.executeScript("ALTER TABLE item ADD COLUMN note TEXT NOT NULL DEFAULT 'n'")
                }
                reads.append(try old.query(Self.selectAll, 1)[0])
                try database.withConnection { other in
                    try other.executeScript(
                        """
                        CREATE TABLE item_new (note TEXT NOT NULL DEFAULT 'n', size BIGINT NOT NULL, done BOOLEAN NOT NULL,
                            name TEXT NOT NULL, id INTEGER PRIMARY KEY);
                        INSERT INTO item_new (note, size, done, name, id) SELECT note, size, done, name, id FROM item;
                        DROP TABLE item;
                        ALTER TABLE item_new RENAME TO item
                        """)
                }
                reads.append(try old.query(Self.selectAll, 1)[0])
                return reads
            }
            #expect(reads.map(\.columns.count) == [4, 5, 5])
            #expect(reads.map { $0["note"] } == [nil, .text("n"), .text("n")])
            #expect(reads[2].columns == ["note", "size", "done", "name", "id"])
            for row in reads {
                #expect(row["id"] == .integer(1))
                #expect(row["name"] == .text("one"))
                #expect(row["done"] == .bool(true))
                #expect(row["size"] == .integer(42))
            }
        }
    }
}
