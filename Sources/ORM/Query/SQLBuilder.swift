import TandemDatabase

/// Accumulates statement text and its bound values for one dialect.
struct SQLBuilder {
    let dialect: Dialect
    private(set) var sql = ""
    private(set) var values: [DatabaseValue] = []
    /// How a column name is written: qualified with its table where a join makes it ambiguous.
    var columnReference: (String) -> String = { quoteIdentifier($0) }

    init(dialect: Dialect) {
        self.dialect = dialect
    }

    mutating func append(_ text: String) {
        sql += text
    }

    /// Appends a placeholder and binds the value to it.
    mutating func bind(_ value: DatabaseValue) {
        values.append(value)
        sql += dialect.placeholder(values.count)
    }

    mutating func append(_ expression: SQLExpression) {
        switch expression {
        case .column(let name):
            sql += columnReference(name)
        case .value(let value):
            bind(value)
        case .binary(let left, let op, let right):
            sql += "("
            append(left)
            sql += " \(op.rawValue) "
            append(right)
            sql += ")"
        case .not(let inner):
            sql += "(NOT "
            append(inner)
            sql += ")"
        case .isNull(let inner, let negated):
            sql += "("
            append(inner)
            sql += negated ? " IS NOT NULL)" : " IS NULL)"
        case .in(let inner, let list, let negated):
            guard !list.isEmpty else {
                sql += negated ? "(1 = 1)" : "(1 = 0)"
                return
            }
            sql += "("
            append(inner)
            sql += negated ? " NOT IN (" : " IN ("
            for (index, value) in list.enumerated() {
                if index > 0 { sql += ", " }
                bind(value)
            }
            sql += "))"
        case .inSubquery(let inner, let subquery, let negated):
            sql += "("
            append(inner)
            sql += negated ? " NOT IN (" : " IN ("
            append(fragment: subquery)
            sql += "))"
        }
    }

    /// Appends a fragment's text, binding its values to the next placeholders (a labelled
    /// overload: a string literal must never be read as a fragment, where its interpolations
    /// would become values).
    mutating func append(fragment: SQLFragment) {
        for piece in fragment.pieces {
            switch piece {
            case .text(let text): sql += text
            case .value(let value): bind(value)
            }
        }
    }
}
