import TandemDatabase
import TandemSchema

/// SQLite's stand-in for the error PostgreSQL raises when a cast cannot convert a value: SQLite's
/// `CAST('12 KB' AS INTEGER)` quietly gives 12 (and `'large'` 0), which the triggers would store.
/// For each cast of `up` or `down` to a type not every value converts to, the trigger first
/// checks that the operand reads as that type, and aborts the write otherwise
/// (``SyncConversionFailure``).
///
/// The checks accept what PostgreSQL accepts and SQLite's `CAST` converts to the same value:
/// integers (an optional sign and digits, spaces around), decimals (digits with signs, points
/// and exponents), booleans as `0` and `1` only (SQLite's `CAST('true' AS BOOLEAN)` is 0).
/// A cast to a type SQLite cannot convert text to at all (`uuid`, `date`, `json`, …) is refused
/// before anything runs (``unconvertibleTypes``). Expressions with `CASE` are taken as guarded.
struct SQLiteConversionCheck {
    let sync: ColumnSync

    /// `SELECT RAISE(ABORT, …)` statements for both directions; empty when nothing can fail.
    func statements(oldWritten: String, newWritten: String) -> [String] {
        let failure = SyncConversionFailure(sync: sync)
        var statements: [String] = []
        if let valid = validity(of: sync.up, source: sync.old) {
            statements.append(
                "SELECT RAISE(ABORT, \(SQLLiteral.quote(failure.message(writtenTo: sync.old)))) WHERE NOT (\(newWritten)) AND NOT \(valid);"
            )
        }
        if let valid = validity(of: sync.down, source: sync.new) {
            statements.append(
                "SELECT RAISE(ABORT, \(SQLLiteral.quote(failure.message(writtenTo: sync.new)))) WHERE (\(newWritten)) AND NOT (\(oldWritten)) AND NOT \(valid);"
            )
        }
        return statements
    }

    /// Whether every failing cast of `expression` converts the row's `source` column; nil when
    /// there is none to check.
    private func validity(of expression: SchemaExpression?, source: String) -> String? {
        let checks = (expression?.partialCasts ?? []).compactMap { cast in
            Self.predicate(for: cast.type).map { predicate in
                "(SELECT \(predicate) FROM (SELECT (\(cast.operand)\n) AS tandem_value) AS tandem_cast)"
            }
        }
        guard !checks.isEmpty else { return nil }
        return "(SELECT " + checks.joined(separator: " AND ") + " FROM (SELECT NEW." + quoteIdentifier(source) + " AS "
            + quoteIdentifier(source) + ") AS tandem_source)"
    }

    /// Types SQLite's `CAST` gives numeric affinity, turning their text into 0 or leading digits:
    /// a column change may not cast to them on SQLite.
    static let unconvertibleTypes: Set<String> = [
        "uuid", "date", "time", "timestamp", "timestamptz", "interval", "json", "jsonb",
    ]

    /// The first cast of `up` or `down` that SQLite cannot convert text with, if any.
    var unconvertibleCast: SchemaCast? {
        [sync.up, sync.down].compactMap { $0 }.flatMap(\.casts).first { Self.unconvertibleTypes.contains($0.type) }
    }

    /// Whether `tandem_value` reads as `type`; nil for types not checked.
    static func predicate(for type: String) -> String? {
        let text = "trim(tandem_value)"
        let unsigned = "ltrim(\(text), '+-')"
        let anyNumber = "typeof(tandem_value) IN ('integer', 'real')"
        let check: String
        switch type {
        case "integer", "int", "int2", "int4", "int8", "bigint", "smallint":
            check =
                "\(anyNumber) OR (typeof(tandem_value) = 'text' AND \(unsigned) <> '' AND \(unsigned) NOT GLOB '*[^0-9]*' "
                + "AND length(\(text)) - length(\(unsigned)) <= 1)"
        case "numeric", "decimal", "real", "double", "float":
            check =
                "\(anyNumber) OR (typeof(tandem_value) = 'text' AND \(unsigned) GLOB '*[0-9]*' "
                + "AND \(unsigned) NOT GLOB '*[^0-9.eE+-]*' AND \(unsigned) NOT GLOB '*.*.*')"
        case "boolean", "bool":
            check =
                "(\(anyNumber) AND tandem_value IN (0, 1)) OR (typeof(tandem_value) = 'text' AND \(text) IN ('0', '1'))"
        default: return nil
        }
        return "(tandem_value IS NULL OR \(check))"
    }
}
