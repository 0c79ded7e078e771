import TandemDatabase

extension DatabaseError {
    /// Whether the database refused the values a request brought rather than failing itself:
    /// PostgreSQL's data exceptions (class 22: a number out of its column's range, text with a
    /// NUL character, an invalid value for a type) and integrity violations (class 23), and
    /// SQLite's constraint violations (extended codes of 19), `SQLITE_TOOBIG` and
    /// `SQLITE_MISMATCH`. The API answers those with 400, not 500.
    var refusesInput: Bool {
        switch dialect {
        case .postgres:
            guard let code else { return false }
            return code.hasPrefix("22") || code.hasPrefix("23")
        case .sqlite:
            guard let number = code.flatMap({ Int($0) }) else { return false }
            return [18, 19, 20].contains(number & 0xFF)
        case nil:
            return false
        }
    }
}
