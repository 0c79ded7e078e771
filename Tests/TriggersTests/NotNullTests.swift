import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@Suite("A NOT NULL old column that new code never writes")
struct NotNullTests {
    static let sync = ColumnSync(table: "item", old: "old_value", new: "new_value")
    static let table = syncTable(old: Column("old_value", .integer, nullable: false))

    /// PostgreSQL as is: the BEFORE trigger fills the old column before NOT NULL is checked.
    /// SQLite after relaxNotNull(for:): the old column accepts NULL until the trigger fills it.
    @Test(arguments: TestDatabaseKind.allCases)
    func newCodeInsertsWithoutTheOldColumn(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(Self.table)
                let relaxed = try connection.relaxNotNull(for: Self.sync)
                #expect(relaxed == (connection.dialect == .sqlite))
                let live = try #require(try connection.introspectTable("item"))
                #expect(live.column(named: "old_value")?.isNullable == (connection.dialect == .sqlite))
                #expect(try connection.relaxNotNull(for: Self.sync) == false, "a relaxed table needs nothing more")
                try connection.installColumnSync(Self.sync)
                #expect(try connection.verifyColumnSync(Self.sync) == [])

                try connection.execute("INSERT INTO item (new_value) VALUES (6)")
                try connection.execute("INSERT INTO item (old_value) VALUES (5)")
                try connection.execute("UPDATE item SET new_value = 8 WHERE id = 1")
                #expect(try connection.pairs(Self.sync) == [.ints(8, 8), .ints(5, 5)])

                // The constraint still holds for the pair: neither column, or NULL through the new one.
                let neither = try #require(
                    thrownError { try connection.execute("INSERT INTO item (note) VALUES ('x')") } as? DatabaseError)
                #expect(connection.dialect == .postgres ? neither.isNotNullViolation : neither.isCheckViolation)
                let nulled = try #require(
                    thrownError { try connection.execute("UPDATE item SET new_value = NULL WHERE id = 1") }
                        as? DatabaseError)
                #expect(connection.dialect == .postgres ? nulled.isNotNullViolation : nulled.isCheckViolation)
                #expect(try connection.pairs(Self.sync) == [.ints(8, 8), .ints(5, 5)])
            }
        }
    }

    @Test(arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func sqliteRefusesToInstallBeforeRelaxing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(Self.table)
                let error = try #require(
                    thrownError { try connection.installColumnSync(Self.sync) } as? ColumnSyncError)
                #expect(error.message.contains("\"old_value\" is NOT NULL without a default"))
                #expect(error.message.contains("relaxNotNull(for:)"))
                #expect(try connection.installedColumnSyncs().isEmpty, "nothing was installed")
            }
        }
    }

    /// A NOT NULL column with a default needs no relaxing: the default fills it, and the
    /// INSERT rule takes the default for "not written".
    @Test(arguments: TestDatabaseKind.allCases)
    func notNullWithDefaultNeedsNoRelaxing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(
                    syncTable(old: Column("old_value", .integer, nullable: false, default: .literal(0))))
                #expect(try connection.relaxNotNull(for: Self.sync) == false)
                try connection.installColumnSync(Self.sync)
                try connection.execute("INSERT INTO item (new_value) VALUES (6)")
                try connection.execute("INSERT INTO item (old_value) VALUES (5)")
                try connection.execute("INSERT INTO item (note) VALUES ('x')")
                #expect(try connection.pairs(Self.sync) == [.ints(6, 6), .ints(5, 5), .ints(0, 0)])
            }
        }
    }

    @Test func relaxedTableKeepsEverythingElse() {
        let table = Table(
            "item",
            columns: [.identity("id"), Column("old_value", .integer, nullable: false), Column("new_value", .integer)],
            primaryKey: ["id"], checks: [CheckConstraint("old_value > 0", name: "positive")])
        let relaxed = Self.sync.relaxed(table)
        #expect(relaxed.columns.map(\.isNullable) == [false, true, true])
        #expect(relaxed.checkConstraints.map(\.name) == ["positive", Self.sync.names.relaxedCheck])
        #expect(
            relaxed.checkConstraints.last?.expression.sql == "\"old_value\" IS NOT NULL OR \"new_value\" IS NOT NULL")
        #expect(Self.sync.relaxed(relaxed) == relaxed, "relaxing twice changes nothing")
    }
}
