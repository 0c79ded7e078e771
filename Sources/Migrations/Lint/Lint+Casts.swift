import TandemSchema

extension Lint {
    /// Types a cast to which fails for some values of another type (`'12 KB'` to an integer).
    static let partialCastTypes: Set<String> = [
        "integer", "int", "int2", "int4", "int8", "bigint", "smallint", "numeric", "decimal", "real", "double", "float",
        "boolean", "bool", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "json", "jsonb",
    ]

    /// Warns about an `up` or `down` that casts to a type not every value converts to, unless a
    /// `CASE` guards it: PostgreSQL then fails earlier code's writes the cast cannot convert (in
    /// the trigger), and SQLite's `CAST` silently stores 0 or a prefix (`'7 KB'` becomes 7).
    static func partialCastWarnings(_ change: ColumnChange) -> [String] {
        [("up", change.up), ("down", change.down)].compactMap { role, text in
            guard let text else { return nil }
            let expression = SchemaExpression(text)
            guard !expression.contains(keyword: "CASE"),
                let type = expression.castTargets.first(where: partialCastTypes.contains)
            else { return nil }
            return
                "\(change.expandName) \(change.table).\(change.old) → \(change.new): '\(role)' casts to \(type), which "
                + "not every value converts to: PostgreSQL fails the write that carries one, SQLite stores 0 or a prefix; "
                + "write a total '\(role)' with CASE (see Writing migrations: column changes)"
        }
    }
}
