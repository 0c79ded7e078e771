import TandemSchema
import Testing

@Suite("Default and long constraint names")
struct NamingTests {
    @Test func defaultNamesFollowPostgreSQL() {
        let table = Table(
            "task",
            columns: [Column("a", .text), Column("b", .text)],
            foreignKeys: [ForeignKey(["a", "b"], references: "other", ["x", "y"])],
            unique: [UniqueConstraint(["a"]), UniqueConstraint(["a"], name: "task_a_key1")],
            checks: [CheckConstraint("a <> b"), CheckConstraint("a <> ''", name: "named"), CheckConstraint("b <> ''")],
            indexes: [Index(["b", "a"]), Index(["b", "a"])]
        ).normalized
        #expect(table.foreignKeys.map(\.name) == ["task_a_b_fkey"])
        #expect(table.uniqueConstraints.map(\.name) == ["task_a_key", "task_a_key1"])
        #expect(table.checkConstraints.map(\.name) == ["named", "task_check", "task_check1"])
        #expect(table.indexes.map(\.name) == ["task_b_a_idx", "task_b_a_idx1"])
    }

    @Test func longNamesFitPostgreSQLsLimitAndStayDistinct() {
        let long = String(repeating: "very_long_table_name_", count: 4)
        let first = ConstraintName.default(table: long, columns: ["column_one"], suffix: "fkey")
        let second = ConstraintName.default(table: long, columns: ["column_two"], suffix: "fkey")
        #expect(first.utf8.count <= 63 && second.utf8.count <= 63)
        #expect(first != second)
        #expect(first.hasSuffix("_fkey") && first.hasPrefix("very_long_table_name_"))
        #expect(ConstraintName.default(table: long, columns: ["column_one"], suffix: "fkey") == first)
        let unicode = ConstraintName.fitted(String(repeating: "表", count: 40))
        #expect(unicode.utf8.count <= 63 && unicode.hasPrefix("表"))
        #expect(ConstraintName.fitted("short") == "short")
    }

    @Test func unnamedAndDefaultNamedConstraintsAreEqual() {
        let unnamed = Table("t", columns: [Column("a", .text)], unique: [UniqueConstraint(["a"])], checks: [CheckConstraint("a <> ''")])
        let named = Table(
            "t", columns: [Column("a", .text)], unique: [UniqueConstraint(["a"], name: "t_a_key")], checks: [CheckConstraint("(a <> ''::text)", name: "t_check")])
        #expect(unnamed == named)
        #expect(unnamed.hashValue == named.hashValue)
        var renamed = named
        renamed.uniqueConstraints[0].name = "other"
        #expect(unnamed != renamed)
    }
}
