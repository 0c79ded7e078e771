/// A piece of SQL, such as a check condition, an index predicate or a default expression,
/// that compares by meaning rather than by spelling.
///
/// Databases give SQL back rewritten: PostgreSQL prints `n > 0 AND name <> ''` as
/// `((n > 0) AND (name <> ''::text))`. Two expressions are equal when their
/// ``comparisonKey``s are, which undoes those rewrites: case of keywords, whitespace,
/// redundant parentheses, casts, quotes around plain names, `= ANY (ARRAY[…])` for `IN (…)` and
/// `~~` for `LIKE`. The text itself is kept as written and rendered verbatim.
///
/// The key is made for comparison, not execution. It does not undo every rewrite: PostgreSQL
/// turns `BETWEEN` into two comparisons, for instance, so write the comparisons.
public struct SchemaExpression: Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The SQL text, as written or as the database printed it.
    public var sql: String

    /// Wraps SQL text.
    public init(_ sql: String) {
        self.sql = sql
    }

    /// Wraps SQL text written as a literal.
    public init(stringLiteral sql: String) {
        self.sql = sql
    }

    /// Decodes the SQL text from a plain string.
    public init(from decoder: any Decoder) throws {
        sql = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the SQL text as a plain string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sql)
    }

    /// The SQL text.
    public var description: String { sql }

    /// The normalized spelling equality uses, tokens separated by single spaces.
    public var comparisonKey: String {
        ExpressionNormalizer.key(sql)
    }
}

extension SchemaExpression: Hashable {
    /// Whether the expressions have the same ``comparisonKey``.
    public static func == (lhs: SchemaExpression, rhs: SchemaExpression) -> Bool {
        lhs.comparisonKey == rhs.comparisonKey
    }

    /// Hashes the ``comparisonKey``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(comparisonKey)
    }
}
