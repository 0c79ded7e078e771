import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@Suite("Schema differences")
struct DifferenceTests {
    static let old = Schema(tables: [
        Table(
            "task",
            columns: [.identity("id"), Column("name", .text), Column("done", .integer, default: .literal(0)), Column("gone", .text)],
            primaryKey: ["id"],
            foreignKeys: [ForeignKey(["id"], references: "other", ["id"])],
            unique: [UniqueConstraint(["name"])],
            checks: [CheckConstraint("done >= 0")],
            indexes: [Index(["done"]), Index(["name"], name: "by_name")]),
        Table("dropped", columns: [Column("x", .text)]),
    ])

    static var new: Schema {
        var task = old.tables[0]
        task.columns = [
            .identity("id"), Column("done", .bigint, nullable: false, default: .literal(1)), Column("name", .text),
            Column("added", .json),
        ]
        task.primaryKey = ["id", "name"]
        task.foreignKeys = []
        task.uniqueConstraints = [UniqueConstraint(["name", "done"])]
        task.checkConstraints = [CheckConstraint("done > 0")]
        task.indexes = [Index(["done"]), Index(["name"], unique: true, name: "by_name")]
        return Schema(tables: [Table("created", columns: [Column("y", .uuid)]), task])
    }

    @Test func everyKindOfChangeIsListed() {
        let descriptions = Self.new.differences(from: Self.old).map(\.description)
        #expect(
            descriptions == [
                #"added table "created""#,
                #"removed table "dropped""#,
                #"table "task": removed column "gone" text NULL"#,
                #"table "task": column "done" changed: type integer → bigint, NULL → NOT NULL, default 0 → 1"#,
                #"table "task": column "name" changed: NULL → NOT NULL"#,
                #"table "task": added column "added" json NULL"#,
                #"table "task": columns reordered from (id, name, done) to (id, done, name)"#,
                #"table "task": primary key changed from (id) to (id, name)"#,
                #"table "task": removed constraint "task_id_fkey" FOREIGN KEY (id) REFERENCES other (id)"#,
                #"table "task": removed constraint "task_name_key" UNIQUE (name)"#,
                #"table "task": added constraint "task_name_done_key" UNIQUE (name, done)"#,
                #"table "task": constraint changed from "task_check" CHECK (done >= 0) to "task_check" CHECK (done > 0)"#,
                #"table "task": index changed from "by_name" (name) to "by_name" UNIQUE (name)"#,
            ])
        #expect(Self.new != Self.old)
    }

    @Test func equalSchemasHaveNoDifferences() {
        #expect(Self.old.differences(from: Self.old).isEmpty)
        let reordered = Schema(tables: Self.old.tables.reversed())
        #expect(reordered == Self.old)
        #expect(reordered.differences(from: Self.old).isEmpty)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func liveSchemaAgainstExpected(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let table = Self.old.tables[1]
                try connection.run(DDL(connection.dialect).createTable(table))
                try connection.execute(DDL(connection.dialect).addColumn(Column("extra", .boolean, default: .literal(false)), to: "dropped"))
                let live = try connection.introspectSchema()
                #expect(
                    live.differences(from: Schema(tables: [table])) == [
                        .addedColumn(table: "dropped", Column("extra", .boolean, default: .literal(false)))
                    ])
            }
        }
    }
}
