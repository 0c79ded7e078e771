import TandemDatabase

/// Writes values as SQL literals: the one place Tandem puts a value into SQL text.
///
/// Statements bind their values; DDL cannot (a column default is part of the table's
/// definition), so defaults are the exception this renderer serves. Text is quoted with
/// embedded `'` doubled — both databases treat backslashes in `'…'` as plain characters
/// (PostgreSQL with `standard_conforming_strings`, its default since 9.1) — and bytes are
/// written in hex, so no value can end the literal early.
public enum SQLLiteral {
    /// The literal for `value` in `dialect`.
    ///
    /// | value | PostgreSQL | SQLite |
    /// |---|---|---|
    /// | NULL | `NULL` | `NULL` |
    /// | 42, 1.5 | `42`, `1.5` | `42`, `1.5` |
    /// | true | `TRUE` | `1` |
    /// | it's | `'it''s'` | `'it''s'` |
    /// | bytes 0x00ff | `'\x00ff'::bytea` | `X'00ff'` |
    /// | timestamp, UUID, JSON | `'2024-05-01 12:30:00.000000+00'`… | the same text |
    ///
    /// A double that is not finite is written as PostgreSQL's `'Infinity'`/`'NaN'`; SQLite has
    /// no such literals and gets `9e999` for infinities and NULL for NaN, as it stores them.
    public static func render(_ value: DatabaseValue, dialect: Dialect) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let int): return String(int)
        case .double(let double): return render(double, dialect: dialect)
        case .bool(let bool):
            return dialect == .postgres ? (bool ? "TRUE" : "FALSE") : (bool ? "1" : "0")
        case .text(let text), .json(let text): return quote(text)
        case .timestamp(let date): return quote(TimestampFormat.string(from: date))
        case .uuid(let uuid): return quote(uuid.uuidString.lowercased())
        case .bytes(let bytes):
            let hex = bytes.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
            return dialect == .postgres ? "'\\x\(hex)'::bytea" : "X'\(hex)'"
        }
    }

    /// Text in single quotes with embedded single quotes doubled.
    public static func quote(_ text: String) -> String {
        precondition(!text.contains("\0"), "an SQL literal cannot contain NUL")
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func render(_ double: Double, dialect: Dialect) -> String {
        if double.isFinite { return String(double) }
        switch dialect {
        case .postgres:
            return quote(double.isNaN ? "NaN" : double < 0 ? "-Infinity" : "Infinity") + "::double precision"
        case .sqlite:
            return double.isNaN ? "NULL" : double < 0 ? "-9e999" : "9e999"
        }
    }
}
