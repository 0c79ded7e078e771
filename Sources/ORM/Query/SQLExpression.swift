import TandemDatabase

/// A dialect-neutral SQL expression: built in Swift, rendered for PostgreSQL or SQLite with
/// every value bound as a parameter.
///
/// Build one from ``Column`` and operators: `Column("done") + 1`, `Column("name") == "x"`,
/// `Column("pulp_type").in(["file.file", "rpm.rpm"]) && Column("policy") != "streamed"`,
/// `Column("pulp_id").in(subquery)` with a subquery written as an ``SQLFragment``.
public indirect enum SQLExpression: Sendable {
    /// A column of the queried table(s).
    case column(String)
    /// A bound value.
    case value(DatabaseValue)
    /// `left op right`, for comparison, arithmetic and logical operators.
    case binary(SQLExpression, BinaryOperator, SQLExpression)
    /// `NOT expression`.
    case not(SQLExpression)
    /// `expression IS NULL`, or `IS NOT NULL` when negated.
    case isNull(SQLExpression, negated: Bool)
    /// `expression IN (values)`, or `NOT IN` when negated; an empty list is never true.
    case `in`(SQLExpression, [DatabaseValue], negated: Bool)
    /// `expression IN (subquery)`, or `NOT IN` when negated, where the subquery is a `SELECT` of
    /// one column. As in SQL, `NOT IN` is never true when the subquery yields a NULL.
    case inSubquery(SQLExpression, SQLFragment, negated: Bool)

    /// The operators an expression can combine with.
    public enum BinaryOperator: String, Sendable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case and = "AND", or = "OR", like = "LIKE"
    }
}

/// Something that can stand in an expression: a ``Column`` or an ``SQLExpression``.
public protocol SQLExpressible: Sendable {
    /// The expression.
    var sqlExpression: SQLExpression { get }
}

extension SQLExpression: SQLExpressible {
    /// The expression itself.
    public var sqlExpression: SQLExpression { self }
}

/// A column, named as in the table (the model's coding key).
public struct Column: SQLExpressible {
    /// The column name.
    public let name: String

    /// Names a column.
    public init(_ name: String) {
        self.name = name
    }

    /// The column as an expression.
    public var sqlExpression: SQLExpression { .column(name) }

    /// `column IN (values)`.
    public func `in`(_ values: [some DatabaseValueConvertible]) -> SQLExpression {
        .in(.column(name), values.map(\.databaseValue), negated: false)
    }

    /// `column NOT IN (values)`.
    public func notIn(_ values: [some DatabaseValueConvertible]) -> SQLExpression {
        .in(.column(name), values.map(\.databaseValue), negated: true)
    }

    /// `column IN (subquery)`: the subquery selects one column, however many rows, and binds its
    /// own values, so a large set never becomes a list of parameters.
    public func `in`(_ subquery: SQLFragment) -> SQLExpression {
        .inSubquery(.column(name), subquery, negated: false)
    }

    /// `column NOT IN (subquery)`; never true when the subquery yields a NULL.
    public func notIn(_ subquery: SQLFragment) -> SQLExpression {
        .inSubquery(.column(name), subquery, negated: true)
    }

    /// `column LIKE pattern`.
    public func like(_ pattern: String) -> SQLExpression {
        .binary(.column(name), .like, .value(.text(pattern)))
    }

    /// `column IS NULL`.
    public var isNull: SQLExpression { .isNull(.column(name), negated: false) }

    /// `column IS NOT NULL`.
    public var isNotNull: SQLExpression { .isNull(.column(name), negated: true) }

    /// Ascending order on this column.
    public var ascending: Ordering { Ordering(column: name, descending: false) }

    /// Descending order on this column.
    public var descending: Ordering { Ordering(column: name, descending: true) }

    /// An assignment of an expression computed by the database, such as `done = done + 1`.
    public func set(to expression: some SQLExpressible) -> Assignment {
        Assignment(column: name, value: expression.sqlExpression)
    }

    /// An assignment of a value.
    public func set(to value: some DatabaseValueConvertible) -> Assignment {
        Assignment(column: name, value: .value(value.databaseValue))
    }
}

/// One `column = expression` of an UPDATE.
public struct Assignment: Sendable {
    /// The column to set.
    public let column: String
    /// Its new value, computed by the database.
    public let value: SQLExpression
}

/// One term of an ORDER BY.
public struct Ordering: Sendable {
    /// The column to order by.
    public let column: String
    /// Whether the order is descending.
    public let descending: Bool
}
