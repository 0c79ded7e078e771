/// The SQL dialects Tandem speaks.
public enum Dialect: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// PostgreSQL through libpq: the production engine.
    case postgres
    /// SQLite through sqlite3: one machine, tests and the embedded default.
    case sqlite

    /// A human name, as used in messages ("PostgreSQL", "SQLite").
    public var description: String {
        switch self {
        case .postgres: "PostgreSQL"
        case .sqlite: "SQLite"
        }
    }

    /// The placeholder for the bound value at `index` (1-based): `$1` on PostgreSQL, `?1` on SQLite.
    ///
    /// SQLite's numbered form lets one statement text use the same value twice, as PostgreSQL does.
    public func placeholder(_ index: Int) -> String {
        switch self {
        case .postgres: "$\(index)"
        case .sqlite: "?\(index)"
        }
    }

    /// Quotes an identifier (table, column, index, constraint or trigger name).
    ///
    /// This is the one function every generated statement uses for names: it doubles embedded
    /// double quotes, so any name, however hostile, stays one identifier.
    public func quote(_ identifier: String) -> String {
        quoteIdentifier(identifier)
    }
}

/// Quotes an SQL identifier in double quotes, doubling embedded double quotes.
///
/// PostgreSQL and SQLite share this syntax; ``Dialect/quote(_:)`` is the spelling to use in
/// dialect-aware code. A name holding a NUL character cannot be an identifier in either database.
public func quoteIdentifier(_ identifier: String) -> String {
    precondition(!identifier.utf8.contains(0), "an SQL identifier cannot contain NUL")
    guard identifier.utf8.contains(UInt8(ascii: "\"")) else { return "\"" + identifier + "\"" }
    return "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}
