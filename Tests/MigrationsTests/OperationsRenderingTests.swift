import TandemDatabase
import TandemMigrations
import TandemSchema
import TandemTesting
import Testing

@Suite("Operation rendering and classification")
struct OperationsRenderingTests {
    static let item = Table(
        "item", columns: [.identity("id"), Column("name", .text, nullable: false), Column("size", .integer)],
        primaryKey: ["id"],
        indexes: [Index(["size"], name: "item_size_idx")])
    static let live = LiveSchema(
        Schema(tables: [item]),
        triggers: ["item": ["CREATE TRIGGER item_touch AFTER UPDATE ON item BEGIN SELECT 1; END"]])

    @Test("PostgreSQL builds an index concurrently, outside the transaction, and drops a failed build's INVALID index")
    func postgresConcurrentIndex() throws {
        let statements = try Operation.createIndex(table: "item", Index(["name"])).statements(
            for: .postgres, schema: Self.live)
        #expect(statements.map(\.sql) == [#"CREATE INDEX CONCURRENTLY "item_name_idx" ON "item" ("name")"#])
        #expect(statements.map(\.transactional) == [false])
        // The cleanup drops only an INVALID index of that name on that table.
        let cleanup = try #require(statements.first?.cleanupOnFailure)
        #expect(cleanup.hasPrefix(#"-- tandem-index-build: {"index":"item_name_idx","table":"item"}"# + "\nDO "))
        for part in [
            "c.relname = ''item_name_idx''", "t.relname = ''item''", "NOT i.indisvalid", #"DROP INDEX "item_name_idx""#,
        ] {
            #expect(cleanup.contains(part), "\(cleanup)")
        }
        let drop = try Operation.dropIndex(table: "item", name: "item_size_idx").statements(
            for: .postgres, schema: Self.live)
        #expect(
            drop == [MigrationStatement(#"DROP INDEX CONCURRENTLY IF EXISTS "item_size_idx""#, transactional: false)])
    }

    @Test("PostgreSQL adds a foreign key NOT VALID, then validates it alone")
    func postgresForeignKey() throws {
        let statements = try Operation.addForeignKey(table: "item", ForeignKey(["size"], references: "other", ["id"]))
            .statements(for: .postgres, schema: Self.live)
        #expect(
            statements == [
                MigrationStatement(
                    #"ALTER TABLE "item" ADD CONSTRAINT "item_size_fkey" FOREIGN KEY ("size") REFERENCES "other" ("id") NOT VALID"#
                ),
                MigrationStatement(
                    #"ALTER TABLE "item" VALIDATE CONSTRAINT "item_size_fkey""#, transactional: false,
                    cleanupOnFailure: #"ALTER TABLE "item" DROP CONSTRAINT IF EXISTS "item_size_fkey""#),
            ])
    }

    @Test("PostgreSQL sets NOT NULL through a validated check, so SET NOT NULL does not scan")
    func postgresSetNotNull() throws {
        let statements = try Operation.setNotNull(table: "item", column: "size").statements(
            for: .postgres, schema: Self.live)
        #expect(
            statements.map(\.sql) == [
                #"ALTER TABLE "item" ADD CONSTRAINT "item_size_not_null" CHECK ("size" IS NOT NULL) NOT VALID"#,
                #"ALTER TABLE "item" VALIDATE CONSTRAINT "item_size_not_null""#,
                #"ALTER TABLE "item" ALTER COLUMN "size" SET NOT NULL"#,
                #"ALTER TABLE "item" DROP CONSTRAINT "item_size_not_null""#,
            ])
        #expect(statements.map(\.transactional) == [true, false, true, true])
    }

    @Test("SQLite rebuilds for what ALTER TABLE cannot do, creating the indexes and triggers again")
    func sqliteRebuild() throws {
        let statements = try Operation.setDefault(table: "item", column: "size", .literal(.integer(3))).statements(
            for: .sqlite, schema: Self.live)
        #expect(statements.allSatisfy { $0.needsForeignKeysOff && $0.transactional })
        #expect(statements.first?.sql.hasPrefix(#"CREATE TABLE "tandem_rebuild_item""#) == true)
        #expect(
            statements.suffix(2).map(\.sql) == [
                #"CREATE INDEX "item_size_idx" ON "item" ("size")"#, Self.live.triggers["item"]![0],
            ])
        let inPlace = try Operation.addColumn(table: "item", Column("note", .text)).statements(
            for: .sqlite, schema: Self.live)
        #expect(inPlace == [MigrationStatement(#"ALTER TABLE "item" ADD COLUMN "note" TEXT"#)])
    }

    @Test("an operation on a missing table or column says which")
    func missingObjects() {
        #expect(throws: OperationError("drop_not_null: column item.missing does not exist")) {
            try Operation.dropNotNull(table: "item", column: "missing").statements(for: .postgres, schema: Self.live)
        }
        #expect(throws: OperationError("create_table file_remote detail_of: table core_remote does not exist")) {
            try Operation.createTable(
                Table("file_remote", columns: [Column("pulp_id", .uuid)], primaryKey: ["pulp_id"]), master: false,
                detailOf: "core_remote"
            )
            .statements(for: .sqlite, schema: Self.live)
        }
        #expect(
            throws: OperationError(
                "create_table item_detail: primary key column id is uuid, but the parent item's id is bigint")
        ) {
            try Operation.createTable(
                Table("item_detail", columns: [Column("id", .uuid)], primaryKey: ["id"]), master: false,
                detailOf: "item"
            )
            .statements(for: .postgres, schema: Self.live)
        }
    }

    @Test(
        "each operation's phase and why it breaks",
        arguments: [
            (Operation.dropTable("t"), "earlier code still reads and writes table t"),
            (.dropColumn(table: "t", column: "c"), "earlier code still selects and inserts column t.c"),
            (
                .setNotNull(table: "t", column: "c"),
                "earlier code may insert or update rows of t without a value for c, which would then fail"
            ),
            (
                .addColumn(table: "t", Column("c", .text, nullable: false)),
                "earlier code inserting rows into t does not set c, which is NOT NULL without a default: the insert would fail"
            ),
            (.sql(up: "SELECT 1", down: nil, phase: .breaking), "the raw SQL is declared breaking"),
            (.addColumn(table: "t", Column("c", .text, nullable: false, default: .literal(.text("x")))), nil),
            (.addColumn(table: "t", Column("c", .text)), nil),
            (.dropIndex(table: "t", name: "i"), nil),
            (.dropNotNull(table: "t", column: "c"), nil),
            (.sql(up: "SELECT 1", down: nil, phase: .compatible), nil),
        ] as [(Operation, String?)])
    func classification(_ operation: Operation, _ reason: String?) {
        #expect(operation.breakingReason == reason)
        #expect(operation.phase == (reason == nil ? .compatible : .breaking))
    }

    @Test("raw SQL splits at semicolons outside quotes, comments and dollar-quoted bodies")
    func sqlSplitting() throws {
        let up = """
            INSERT INTO t (a) VALUES ('x;y'); -- a comment; still a comment
            CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
            CREATE INDEX CONCURRENTLY i ON t (a);
            """
        let statements = try Operation.sql(up: up, down: nil, phase: .compatible).statements(
            for: .postgres, schema: LiveSchema())
        #expect(
            statements.map(\.sql) == [
                "INSERT INTO t (a) VALUES ('x;y')",
                "-- a comment; still a comment\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
                "CREATE INDEX CONCURRENTLY i ON t (a)",
            ])
        #expect(statements.map(\.transactional) == [true, true, false])
        #expect(statements[2].cleanupOnFailure?.hasPrefix(#"-- tandem-index-build: {"index":"i","table":"t"}"#) == true)
    }
}
