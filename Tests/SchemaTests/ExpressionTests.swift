import TandemSchema
import Testing

@Suite("SQL expressions compare by meaning, undoing the servers' rewrites")
struct ExpressionTests {
    /// What a user writes, and what PostgreSQL or SQLite prints back for it.
    static let equivalent: [(written: String, printed: String)] = [
        ("n > 0", "(n > 0)"),
        ("n > 0 AND n < 10", "((n > 0) AND (n < 10))"),
        ("a > 0 AND b > 0 AND c > 0", "((a > 0) AND (b > 0) AND (c > 0))"),
        ("a = 1 OR b = 2 AND c = 3", "((a = 1) OR ((b = 2) AND (c = 3)))"),
        ("name <> ''", "((name)::text <> ''::text)"),
        ("state IN ('new', 'done')", "(state = ANY (ARRAY['new'::text, 'done'::text]))"),
        ("s IN ('a', 'b')", "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
        ("s NOT IN ('a', 'b')", "(s <> ALL (ARRAY['a'::text, 'b'::text]))"),
        ("n BETWEEN 1 AND 3", "((n >= 1) AND (n <= 3))"),
        ("x = 1 AND n NOT BETWEEN 1 AND 3", "((x = 1) AND ((n < 1) OR (n > 3)))"),
        ("name LIKE 'a%'", "(name ~~ 'a%'::text)"),
        ("name NOT LIKE 'a%'", "(name !~~ 'a%'::text)"),
        ("n != 0", "(n <> 0)"),
        ("n > -5", "(n > '-5'::integer)"),
        ("big < 5000000000", "(big < '5000000000'::bigint)"),
        ("price >= 0.5", "(price >= 0.5)"),
        ("(price) >= .5", "(price >= .5)"),
        ("deleted_at IS NULL", "(deleted_at IS NULL)"),
        ("NOT (a IS NULL AND b IS NULL)", "(NOT ((a IS NULL) AND (b IS NULL)))"),
        ("length(name) * 2 + 1 > 0", "(((length(name) * 2) + 1) > 0)"),
        ("(a + b) * 2 > 0", "(((a + b) * 2) > 0)"),
        (#""order" > 0"#, #"("order" > 0)"#),
        (#""plain" > 0"#, "(plain > 0)"),
        ("Upper(Name) = 'X'", "(upper(name) = 'X'::text)"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("lower('ABC')", "lower('ABC'::text)"),
        ("n   >\n0", "n > 0"),
    ]

    static let different: [(String, String)] = [
        ("n > 0", "n >= 0"),
        ("a - (b - c) > 0", "a - b - c > 0"),
        ("(a OR b) AND c", "a OR b AND c"),
        ("name = 'X'", "name = 'x'"),
        (#""Name" = 1"#, "name = 1"),
        ("n IN (1, 2)", "n IN (1, 3)"),
        ("f(a, b)", "f(b, a)"),
        ("NOT (a AND b)", "NOT a AND b"),
    ]

    @Test(arguments: equivalent)
    func printedFormsCompareEqual(_ pair: (written: String, printed: String)) {
        let written = SchemaExpression(pair.written), printed = SchemaExpression(pair.printed)
        #expect(written == printed, "\(written.comparisonKey) ≠ \(printed.comparisonKey)")
        #expect(written.hashValue == printed.hashValue)
        #expect(written.sql == pair.written)
    }

    @Test(arguments: different)
    func differentMeaningsCompareDifferent(_ pair: (String, String)) {
        let first = SchemaExpression(pair.0), second = SchemaExpression(pair.1)
        #expect(first != second, "both are \(first.comparisonKey)")
    }

    @Test func keyIsReadable() {
        #expect(SchemaExpression("((n)::text = ANY (ARRAY['a'::text]))").comparisonKey == "n in ( 'a' )")
        #expect(SchemaExpression("x = 'it''s'").comparisonKey == "x = 'it''s'")
    }
}
