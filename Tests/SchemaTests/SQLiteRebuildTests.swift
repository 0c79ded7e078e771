import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@Suite("SQLite's table rebuild keeps rows, indexes, triggers and references")
struct SQLiteRebuildTests {
    static let remote = Table("remote", columns: [.identity("id")], primaryKey: ["id"])
    static let task = Table(
        "task",
        columns: [.identity("id"), Column("title", .text), Column("done", .integer), Column("obsolete", .text), Column("remote_id", .bigint)],
        primaryKey: ["id"], indexes: [Index(["title"])])
    static let child = Table(
        "child", columns: [.identity("id"), Column("task_id", .bigint, nullable: false)], primaryKey: ["id"],
        foreignKeys: [ForeignKey(["task_id"], references: "task", ["id"], onDelete: .cascade)])

    static var rebuilt: Table {
        Table(
            "task",
            columns: [
                .identity("id"), Column("name", .varchar(50), nullable: false), Column("done", .integer, nullable: false, default: .literal(0)),
                Column("remote_id", .bigint), Column("note", .text, default: .literal("none")),
            ],
            primaryKey: ["id"],
            foreignKeys: [ForeignKey(["remote_id"], references: "remote", ["id"], onDelete: .setNull)],
            checks: [CheckConstraint("done >= 0")],
            indexes: [Index(["name"], unique: true), Index(["done"], where: "done > 0")])
    }

    static func setUp(_ connection: Connection) throws {
        try connection.run(DDL(.sqlite).createSchema(Schema(tables: [remote, task, child])))
        try connection.executeScript(
            """
            CREATE TABLE log (message TEXT);
            CREATE TRIGGER "task logger" AFTER INSERT ON task BEGIN INSERT INTO log (message) VALUES ('added ' || new.id); END;
            INSERT INTO remote (id) VALUES (1);
            INSERT INTO task (id, title, done, obsolete, remote_id) VALUES (1, 'one', 0, 'x', 1), (2, 'two', 3, 'y', NULL);
            INSERT INTO child (id, task_id) VALUES (10, 1), (20, 2);
            """)
    }

    @Test(arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func rebuildChangesTheTableAndKeepsTheRest(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.setUp(connection)
                try connection.rebuildTable(from: Self.task, to: Self.rebuilt, columnSources: ["name": "title"])

                let read = try #require(try connection.introspectTable("task"))
                #expect(read == Self.rebuilt, "\(read.differences(from: Self.rebuilt).map(\.description))")
                let rows = try connection.query("SELECT id, name, done, remote_id, note FROM task ORDER BY id")
                #expect(try rows.map { try $0.decode(String.self, "name") } == ["one", "two"])
                #expect(try rows.map { try $0.decode(Int.self, "done") } == [0, 3])
                #expect(try rows.map { try $0.decode(Int?.self, "remote_id") } == [1, nil])
                #expect(try rows.map { try $0.decode(String.self, "note") } == ["none", "none"])
                // The rebuild deleted nothing through the child's ON DELETE CASCADE.
                #expect(try connection.query("SELECT count(*) FROM child")[0].decode(Int.self, at: 0) == 2)
                #expect(try connection.query("PRAGMA foreign_keys")[0].decode(Int.self, at: 0) == 1)

                try connection.execute("INSERT INTO task (id, name) VALUES (3, 'three')")
                #expect(try connection.query("SELECT message FROM log").map { try $0.decode(String.self, "message") } == ["added 1", "added 2", "added 3"])
                try connection.execute("DELETE FROM task WHERE id = 1")
                #expect(try connection.query("SELECT task_id FROM child").map { try $0.decode(Int.self, "task_id") } == [2])
                try connection.execute("DELETE FROM remote")
                #expect(try connection.query("SELECT count(*) FROM task WHERE remote_id IS NULL")[0].decode(Int.self, at: 0) == 2)
                let error = try #require(throws: DatabaseError.self) { try connection.execute("UPDATE task SET done = -1") }
                #expect(error.isCheckViolation)
            }
        }
    }

    @Test(arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func brokenForeignKeysLeaveTheTableAsItWas(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try Self.setUp(connection)
                try connection.execute("PRAGMA foreign_keys = OFF")
                try connection.execute("INSERT INTO task (id, title, done, remote_id) VALUES (5, 'orphan', 0, 99)")
                try connection.execute("PRAGMA foreign_keys = ON")
                let error = try #require(throws: SchemaError.self) {
                    try connection.rebuildTable(from: Self.task, to: Self.rebuilt, columnSources: ["name": "title"])
                }
                #expect(error.message.contains("foreign key to \"remote\""))
                #expect(try connection.introspectTable("task") == Self.task)
                #expect(try connection.query("PRAGMA foreign_keys")[0].decode(Int.self, at: 0) == 1)
                #expect(throws: SchemaError.self) {
                    try connection.transaction { try connection.rebuildTable(from: Self.task, to: Self.task) }
                }
            }
        }
    }

    @Test func statements() {
        let old = Table("t", columns: [Column("a", .text), Column("b", .text)])
        let new = Table("t", columns: [Column("c", .text), Column("b", .text, nullable: false)], indexes: [Index(["b"])])
        #expect(
            DDL(.sqlite).rebuildTable(from: old, to: new, columnSources: ["c": "a"], triggers: ["CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END"]) == [
                "CREATE TABLE \"tandem_rebuild_t\" (\n    \"c\" TEXT,\n    \"b\" TEXT NOT NULL\n)",
                #"INSERT INTO "tandem_rebuild_t" ("c", "b") SELECT "a", "b" FROM "t""#,
                #"DROP TABLE "t""#,
                "PRAGMA legacy_alter_table = ON",
                #"ALTER TABLE "tandem_rebuild_t" RENAME TO "t""#,
                "PRAGMA legacy_alter_table = OFF",
                #"CREATE INDEX "t_b_idx" ON "t" ("b")"#,
                "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END",
            ])
    }
}
