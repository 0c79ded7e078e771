import Foundation
import TandemDatabase
import TandemSchema
import Testing

@Suite("Schemas encode and decode")
struct CodingTests {
    @Test func schemaSurvivesJSON() throws {
        let values: [DatabaseValue] = [
            .integer(-3), .double(2.5), .bool(true), .text("it's"), .bytes([0, 255]),
            .timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)), .uuid(UUID()), .json(#"{"a":1}"#),
        ]
        let types: [ColumnType] = [.bigint, .double, .boolean, .text, .bytes, .timestamp, .uuid, .json]
        let columns = zip(values, types).enumerated().map { Column("c\($0.offset)", $0.element.1, default: .literal($0.element.0)) }
        let schema = Schema(tables: [
            Table(
                "t", columns: [.identity("id")] + columns + [Column("at", .timestamp, default: .expression("now()"))], primaryKey: ["id"],
                foreignKeys: [ForeignKey(["c0"], references: "u", ["id"], onDelete: .cascade)], unique: [UniqueConstraint(["c3"])],
                checks: [CheckConstraint("c0 > 0")], indexes: [Index(["c1"], where: "c2")]),
            Table("u", columns: [Column("id", .decimal(precision: 5, scale: 1)), Column("x", .custom("date"))]),
        ])
        let decoded = try JSONDecoder().decode(Schema.self, from: JSONEncoder().encode(schema))
        #expect(decoded == schema, "\(decoded.differences(from: schema).map(\.description))")
        #expect(decoded.tables[0].columns[8].defaultValue == .literal(.json(#"{"a":1}"#)))
    }
}
