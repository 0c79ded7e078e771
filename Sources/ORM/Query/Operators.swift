import TandemDatabase

// Comparison, arithmetic and logical operators building ``SQLExpression`` values.
// Comparing with a nil optional gives IS NULL / IS NOT NULL, as SQL's `= NULL` is never true.

/// `left = right`; `IS NULL` when `right` is nil.
public func == (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    let value = right.databaseValue
    return value.isNull ? .isNull(left.sqlExpression, negated: false) : .binary(left.sqlExpression, .equal, .value(value))
}

/// `left <> right`; `IS NOT NULL` when `right` is nil.
public func != (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    let value = right.databaseValue
    return value.isNull ? .isNull(left.sqlExpression, negated: true) : .binary(left.sqlExpression, .notEqual, .value(value))
}

/// `left = right` between two expressions.
public func == (left: some SQLExpressible, right: some SQLExpressible) -> SQLExpression {
    .binary(left.sqlExpression, .equal, right.sqlExpression)
}

/// `left <> right` between two expressions.
public func != (left: some SQLExpressible, right: some SQLExpressible) -> SQLExpression {
    .binary(left.sqlExpression, .notEqual, right.sqlExpression)
}

/// `left < right`.
public func < (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .less, .value(right.databaseValue))
}

/// `left <= right`.
public func <= (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .lessOrEqual, .value(right.databaseValue))
}

/// `left > right`.
public func > (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .greater, .value(right.databaseValue))
}

/// `left >= right`.
public func >= (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .greaterOrEqual, .value(right.databaseValue))
}

/// `left + right`, computed by the database.
public func + (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .add, .value(right.databaseValue))
}

/// `left - right`, computed by the database.
public func - (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .subtract, .value(right.databaseValue))
}

/// `left * right`, computed by the database.
public func * (left: some SQLExpressible, right: some DatabaseValueConvertible) -> SQLExpression {
    .binary(left.sqlExpression, .multiply, .value(right.databaseValue))
}

/// `left + right` between two expressions.
public func + (left: some SQLExpressible, right: some SQLExpressible) -> SQLExpression {
    .binary(left.sqlExpression, .add, right.sqlExpression)
}

/// `left AND right`.
public func && (left: some SQLExpressible, right: some SQLExpressible) -> SQLExpression {
    .binary(left.sqlExpression, .and, right.sqlExpression)
}

/// `left OR right`.
public func || (left: some SQLExpressible, right: some SQLExpressible) -> SQLExpression {
    .binary(left.sqlExpression, .or, right.sqlExpression)
}

/// `NOT expression`.
public prefix func ! (expression: some SQLExpressible) -> SQLExpression {
    .not(expression.sqlExpression)
}

/// `expression IS NULL`, written `Column("x") == nil`.
public func == (left: some SQLExpressible, right: _OptionalNilComparisonType) -> SQLExpression {
    .isNull(left.sqlExpression, negated: false)
}

/// `expression IS NOT NULL`, written `Column("x") != nil`.
public func != (left: some SQLExpressible, right: _OptionalNilComparisonType) -> SQLExpression {
    .isNull(left.sqlExpression, negated: true)
}
