import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@Suite("Render, apply and introspect give back the same schema")
struct RoundTripTests {
    static let types: [ColumnType] = [
        .bigint, .integer, .double, .boolean, .text, .varchar(40), .bytes, .timestamp, .uuid, .json,
        .decimal(precision: 12, scale: 3),
    ]

    @Test(arguments: TestDatabaseKind.allCases)
    func everyColumnTypeNullableAndNot(_ kind: TestDatabaseKind) async throws {
        let columns = Self.types.enumerated().flatMap { offset, type in
            [Column("c\(offset)_null", type), Column("c\(offset)_not_null", type, nullable: false)]
        }
        let table = Table("every_type", columns: [.identity("id")] + columns, primaryKey: ["id"])
        try await withTestDatabase(kind) { database in
            try database.withConnection { try $0.expectRoundTrip(table) }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func everyLiteralAndExpressionDefault(_ kind: TestDatabaseKind) async throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let defaults: [(ColumnType, ColumnDefault)] = [
            (.bigint, .literal(42)), (.bigint, .literal(-7)), (.bigint, .literal(.integer(.max))),
            (.bigint, .literal(.integer(.min))), (.integer, .literal(0)), (.integer, .literal(-2_147_483_648)),
            (.double, .literal(1.5)), (.double, .literal(-0.25)), (.double, .literal(1e-300)),
            (.boolean, .literal(true)), (.boolean, .literal(false)), (.text, .literal("plain")), (.text, .literal("")),
            (.varchar(10), .literal("short")), (.bytes, .literal(.bytes([0, 1, 39, 92, 255]))), (.bytes, .literal(.bytes([]))),
            (.timestamp, .literal(.timestamp(date))), (.uuid, .literal(.uuid(UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!))),
            (.json, .literal(.json(#"{"b": [1, "x", true], "a": null}"#))), (.decimal(precision: 12, scale: 3), .literal("12.345")),
            (.decimal(precision: 12, scale: 3), .literal("-0.500")), (.timestamp, .expression("CURRENT_TIMESTAMP")),
            (.text, .expression("lower('ABC')")), (.integer, .expression("1 + 2")), (.text, .literal(.null)),
        ]
        let columns = defaults.enumerated().map { offset, pair in
            Column("d\(offset)", pair.0, nullable: offset % 2 == 0, default: pair.1)
        }
        let table = Table("defaults", columns: columns)
        try await withTestDatabase(kind) { database in
            try database.withConnection { try $0.expectRoundTrip(table) }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func hostileDefaultLiterals(_ kind: TestDatabaseKind) async throws {
        let texts = [
            "it's", "''", "\"quoted\"", "a'; DROP TABLE hostile; --", "back\\slash\\", "\\x00", "E'\\n'", "ünïcødé 日本語 🚀",
            "\n\t\r", "$1 ?1 ? :name", "/* not a comment */", "-- nor this", "::text",
        ]
        let columns = texts.enumerated().map { Column("t\($0.offset)", .text, nullable: false, default: .literal(.text($0.element))) }
        let table = Table("hostile", columns: [.identity("id")] + columns, primaryKey: ["id"])
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.expectRoundTrip(table)
                // The defaults are values, not SQL: the row gets exactly these texts.
                try connection.execute(#"INSERT INTO "hostile" DEFAULT VALUES"#)
                let row = try #require(try connection.query(#"SELECT * FROM "hostile""#).first)
                for (offset, text) in texts.enumerated() {
                    #expect(try row.decode(String.self, "t\(offset)") == text)
                }
                #expect(try connection.tableNames() == ["hostile"])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func identifiersThatNeedQuoting(_ kind: TestDatabaseKind) async throws {
        let user = Table(
            "user",
            columns: [.identity("select"), Column("with space", .text, nullable: false), Column("MixedCase", .integer)],
            primaryKey: ["select"], unique: [UniqueConstraint(["with space"])],
            checks: [CheckConstraint(#""MixedCase" > 0"#)], indexes: [Index(["MixedCase"])])
        let order = Table(
            "order",
            columns: [
                .identity("id"), Column("user", .bigint, nullable: false), Column("\"quoted\" name", .text),
                Column("ünïcødé 表", .text, default: .literal("日本")),
            ],
            primaryKey: ["id"],
            foreignKeys: [ForeignKey(["user"], references: "user", ["select"], onDelete: .cascade)],
            unique: [UniqueConstraint(["\"quoted\" name", "ünïcødé 表"], name: "order's \"unique\"")],
            checks: [CheckConstraint(#""ünïcødé 表" <> 'x'"#, name: "group")],
            indexes: [Index(["ünïcødé 表"], where: #""""quoted"" name" IS NOT NULL"#, name: "where")])
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.expectRoundTrip(user)
                try connection.expectRoundTrip(order)
                let schema = try connection.introspectSchema()
                #expect(schema == Schema(tables: [order, user]), "\(schema.differences(from: Schema(tables: [order, user])))")
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func keysConstraintsAndIndexes(_ kind: TestDatabaseKind) async throws {
        let parent = Table(
            "parent",
            columns: [Column("region", .varchar(8), nullable: false), Column("number", .integer, nullable: false), Column("name", .text)],
            primaryKey: ["region", "number"], unique: [UniqueConstraint(["name"]), UniqueConstraint(["name", "number"])])
        let child = Table(
            "child",
            columns: [
                .identity("id"), Column("region", .varchar(8)), Column("number", .integer), Column("parent_id", .bigint),
                Column("amount", .decimal(precision: 10, scale: 2), nullable: false, default: .literal("0.00")),
                Column("state", .text, nullable: false, default: .literal("new")), Column("deleted_at", .timestamp),
            ],
            primaryKey: ["id"],
            foreignKeys: [
                ForeignKey(["region", "number"], references: "parent", ["region", "number"], onDelete: .cascade, onUpdate: .cascade),
                ForeignKey(["parent_id"], references: "child", ["id"], onDelete: .setNull, name: "child_tree"),
            ],
            checks: [
                CheckConstraint("amount >= 0 AND amount < 1000000"), CheckConstraint("state IN ('new', 'done')"),
                CheckConstraint("region <> '' OR region IS NULL", name: "region_not_empty"),
                CheckConstraint("NOT (state = 'done' AND deleted_at IS NOT NULL)"),
                CheckConstraint("length(state) * 2 + 1 > 0 AND (number + 1) * 2 <> 0"), CheckConstraint("state LIKE '%e%'"),
            ],
            indexes: [
                Index(["state"]), Index(["state", "deleted_at"], unique: true), Index(["region"], where: "deleted_at IS NULL"),
                Index(["number"], unique: true, where: "number > 0 AND state = 'done'", name: "positive_done"),
            ])
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.expectRoundTrip(parent)
                try connection.expectRoundTrip(child)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func wholeSchemaInDependencyOrder(_ kind: TestDatabaseKind) async throws {
        let schema = Schema(tables: [
            Table(
                "b", columns: [.identity("id"), Column("a_id", .bigint)], primaryKey: ["id"],
                foreignKeys: [ForeignKey(["a_id"], references: "a", ["id"])]),
            Table(
                "a", columns: [.identity("id"), Column("b_id", .bigint)], primaryKey: ["id"],
                foreignKeys: [ForeignKey(["b_id"], references: "b", ["id"], onDelete: .setNull)]),
            Table("c", columns: [Column("n", .integer, nullable: false)], primaryKey: ["n"]),
        ])
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.run(DDL(connection.dialect).createSchema(schema))
                let read = try connection.introspectSchema()
                #expect(read == schema, "\(read.differences(from: schema).map(\.description))")
                #expect(read.tables.map(\.name) == ["a", "b", "c"])
            }
        }
    }
}
