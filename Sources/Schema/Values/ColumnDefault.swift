import TandemDatabase

/// A column's default: a literal value, or an SQL expression evaluated at insert time.
///
/// ```swift
/// Column("state", .text, default: .literal("waiting"))
/// Column("created_at", .timestamp, default: .expression("CURRENT_TIMESTAMP"))
/// ```
///
/// A literal should use the ``TandemDatabase/DatabaseValue`` case of its column's type;
/// ``Column`` converts the others it can (an integer 1 for a boolean column, text for a
/// timestamp column…), so a default compares equal to the one read back from a database.
public enum ColumnDefault: Sendable, Hashable {
    /// A constant; rendered as an SQL literal by ``SQLLiteral``.
    case literal(DatabaseValue)
    /// An SQL expression such as `CURRENT_TIMESTAMP` or `now()`, written as the dialect wants it.
    case expression(SchemaExpression)

    /// A short rendering for messages: the literal's SQL text or the expression.
    public var description: String {
        switch self {
        case .literal(let value): SQLLiteral.render(value, dialect: .postgres)
        case .expression(let expression): expression.sql
        }
    }
}
