import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@Suite("Foreign key actions round-trip and act")
struct ForeignKeyActionTests {
    static let parent = Table("parent", columns: [.identity("id")], primaryKey: ["id"])

    static func child(_ action: ForeignKey.Action) -> Table {
        Table(
            "child",
            columns: [.identity("id"), Column("parent_id", .bigint, default: .literal(1))],
            primaryKey: ["id"],
            foreignKeys: [ForeignKey(["parent_id"], references: "parent", ["id"], onDelete: action, onUpdate: action)])
    }

    static let cases: [(TestDatabaseKind, ForeignKey.Action)] = TestDatabaseKind.allCases.flatMap { kind in
        ForeignKey.Action.allCases.map { (kind, $0) }
    }

    @Test(arguments: cases)
    func deletingTheParent(_ kind: TestDatabaseKind, _ action: ForeignKey.Action) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.expectRoundTrip(Self.parent)
                try connection.expectRoundTrip(Self.child(action))
                try connection.execute(#"INSERT INTO "parent" ("id") VALUES (1), (2)"#)
                try connection.execute(#"INSERT INTO "child" ("id", "parent_id") VALUES (10, 2)"#)
                let delete = { try connection.execute(#"DELETE FROM "parent" WHERE "id" = 2"#) }
                switch action {
                case .noAction, .restrict:
                    let error = try #require(throws: DatabaseError.self) { try delete() }
                    // SQLite reports RESTRICT as SQLITE_CONSTRAINT_TRIGGER (1811), NO ACTION as 787.
                    #expect(error.isForeignKeyViolation, "\(error)")
                case .cascade, .setNull, .setDefault:
                    #expect(try delete() == 1)
                }
                let rows = try connection.query(#"SELECT "parent_id" FROM "child" WHERE "id" = 10"#)
                switch action {
                case .noAction, .restrict: #expect(try rows.map { try $0.decode(Int?.self, "parent_id") } == [2])
                case .cascade: #expect(rows.isEmpty)
                case .setNull: #expect(try rows.map { try $0.decode(Int?.self, "parent_id") } == [nil])
                case .setDefault: #expect(try rows.map { try $0.decode(Int?.self, "parent_id") } == [1])
                }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func cascadeReachesDetailsOfDetails(_ kind: TestDatabaseKind) async throws {
        let master = Table("master", columns: [.identity("id"), Column("pulp_type", .text, nullable: false)], primaryKey: ["id"])
        let detail = Table(
            "detail", columns: [Column("master_id", .bigint, nullable: false)], primaryKey: ["master_id"],
            foreignKeys: [ForeignKey(["master_id"], references: "master", ["id"], onDelete: .cascade)])
        let subdetail = Table(
            "subdetail", columns: [Column("detail_id", .bigint, nullable: false)], primaryKey: ["detail_id"],
            foreignKeys: [ForeignKey(["detail_id"], references: "detail", ["master_id"], onDelete: .cascade)])
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.run(DDL(connection.dialect).createSchema(Schema(tables: [subdetail, detail, master])))
                try connection.execute(#"INSERT INTO "master" ("id", "pulp_type") VALUES (1, 'app.a'), (2, 'app.b')"#)
                try connection.execute(#"INSERT INTO "detail" ("master_id") VALUES (1), (2)"#)
                try connection.execute(#"INSERT INTO "subdetail" ("detail_id") VALUES (1), (2)"#)
                try connection.execute(#"DELETE FROM "master" WHERE "id" = 1"#)
                #expect(try connection.query(#"SELECT "master_id" FROM "detail""#).map { try $0.decode(Int.self, "master_id") } == [2])
                #expect(try connection.query(#"SELECT "detail_id" FROM "subdetail""#).map { try $0.decode(Int.self, "detail_id") } == [2])
            }
        }
    }
}
