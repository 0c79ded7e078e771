import TandemSchema

extension Lint {
    /// Warns about an `up` or `down` that casts to a type not every value converts to, unless a
    /// `CASE` guards it: the triggers then refuse earlier code's writes that the cast cannot
    /// convert (PostgreSQL's cast fails; on SQLite, whose `CAST` would quietly give 0 or a prefix,
    /// the trigger checks the value first), naming the migration.
    static func partialCastWarnings(_ change: ColumnChange) -> [String] {
        [("up", change.up), ("down", change.down)].compactMap { role, text in
            guard let text else { return nil }
            guard let type = SchemaExpression(text).partialCasts.first?.type else { return nil }
            return
                "\(change.expandName) \(change.table).\(change.old) → \(change.new): '\(role)' casts to \(type), which "
                + "not every value converts to: earlier code's writes of such a value fail (PostgreSQL and SQLite alike); "
                + "write a total '\(role)' with CASE (see Writing migrations: column changes)"
        }
    }
}
