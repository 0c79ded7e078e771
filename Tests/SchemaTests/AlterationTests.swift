import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@Suite("Alterations applied to live databases")
struct AlterationTests {
    static let task = Table(
        "task", columns: [.identity("id"), Column("name", .text, nullable: false), Column("note", .text)], primaryKey: ["id"])

    @Test(arguments: TestDatabaseKind.allCases)
    func addAndDropColumnsAndIndexes(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let ddl = DDL(connection.dialect)
                try connection.expectRoundTrip(Self.task)
                try connection.execute(#"INSERT INTO "task" ("name") VALUES ('one')"#)
                var expected = Self.task
                let state = Column("state", .text, nullable: false, default: .literal("waiting"))
                try connection.execute(ddl.addColumn(state, to: "task"))
                expected.columns.append(state)
                let index = Index(["state", "name"], unique: true, where: "state <> 'done'")
                try connection.execute(ddl.createIndex(index, on: "task", concurrently: true))
                expected.indexes.append(index)
                #expect(try connection.introspectTable("task") == expected)
                #expect(try connection.query(#"SELECT "state" FROM "task""#).map { try $0.decode(String.self, "state") } == ["waiting"])

                try connection.execute(ddl.dropIndex(expected.normalized.indexes[0].name!, concurrently: true))
                try connection.execute(ddl.dropColumn("note", from: "task"))
                expected.indexes = []
                expected.columns.removeAll { $0.name == "note" }
                let read = try #require(try connection.introspectTable("task"))
                #expect(read == expected, "\(read.differences(from: expected).map(\.description))")

                try connection.execute(ddl.dropTable("task"))
                #expect(try connection.introspectTable("task") == nil)
                #expect(try connection.introspectSchema() == Schema())
            }
        }
    }

    @Test func postgresAddsConstraintsWithoutLongLocks() async throws {
        try await withTestDatabase(.postgres) { database in
            try database.withConnection { connection in
                let ddl = DDL(.postgres)
                let remote = Table("remote", columns: [.identity("id")], primaryKey: ["id"])
                try connection.expectRoundTrip(remote)
                try connection.expectRoundTrip(Self.task)
                var expected = Self.task
                try connection.execute(ddl.addColumn(Column("remote_id", .bigint), to: "task"))
                let key = ForeignKey(["remote_id"], references: "remote", ["id"], onDelete: .cascade)
                let check = CheckConstraint("length(name) > 0")
                try connection.execute(ddl.addForeignKey(key, to: "task", validated: false))
                try connection.execute(ddl.addCheck(check, to: "task", validated: false))
                let notValid = try connection.query("SELECT count(*) AS n FROM pg_constraint WHERE NOT convalidated AND conrelid = 'task'::regclass")
                #expect(try notValid[0].decode(Int.self, "n") == 2)
                try connection.execute(ddl.validateConstraint("task_remote_id_fkey", on: "task"))
                try connection.execute(ddl.validateConstraint("task_check", on: "task"))
                try connection.execute(ddl.createIndex(Index(["note"], unique: true, name: "task_note_key"), on: "task", concurrently: true))
                try connection.execute(ddl.addUnique(UniqueConstraint(["note"]), to: "task", usingIndex: "task_note_key"))
                try connection.execute(ddl.setDefault(.literal("n/a"), of: "note", in: "task"))
                try connection.execute(ddl.setNotNull("note", in: "task"))
                try connection.execute(ddl.dropNotNull("name", in: "task"))
                expected.columns = [
                    .identity("id"), Column("name", .text), Column("note", .text, nullable: false, default: .literal("n/a")), Column("remote_id", .bigint),
                ]
                expected.foreignKeys = [key]
                expected.checkConstraints = [check]
                expected.uniqueConstraints = [UniqueConstraint(["note"])]
                var read = try #require(try connection.introspectTable("task"))
                #expect(read == expected, "\(read.differences(from: expected).map(\.description))")

                try connection.execute(ddl.dropDefault(of: "note", in: "task"))
                try connection.execute(ddl.dropConstraint("task_check", from: "task"))
                expected.columns[2].defaultValue = nil
                expected.checkConstraints = []
                read = try #require(try connection.introspectTable("task"))
                #expect(read == expected, "\(read.differences(from: expected).map(\.description))")
            }
        }
    }

    @Test func postgresKeepsLongNamesAsRendered() async throws {
        let long = String(repeating: "a_rather_long_name_", count: 4)
        let table = Table(
            long, columns: [.identity("id"), Column(long + "column", .text)], primaryKey: ["id"],
            unique: [UniqueConstraint([long + "column"])], checks: [CheckConstraint("id > 0", name: long + "check")],
            indexes: [Index(["id", long + "column"])])
        #expect(table.normalized.uniqueConstraints[0].name!.utf8.count == 63)
        try await withTestDatabase(.postgres) { database in
            try database.withConnection { connection in
                // PostgreSQL itself cuts the table and column names; the constraint names fit already.
                var cut = table
                cut.name = String(long.prefix(63))
                cut.columns[1].name = String((long + "column").prefix(63))
                cut.uniqueConstraints[0] = UniqueConstraint([cut.columns[1].name], name: table.normalized.uniqueConstraints[0].name)
                cut.indexes[0] = Index(["id", cut.columns[1].name], name: table.normalized.indexes[0].name)
                try connection.run(DDL(.postgres).createTable(table))
                let read = try #require(try connection.introspectTable(cut.name))
                #expect(read == cut, "\(read.differences(from: cut).map(\.description))")
            }
        }
    }
}
