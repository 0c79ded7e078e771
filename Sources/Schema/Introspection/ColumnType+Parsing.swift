import Foundation

extension ColumnType {
    /// The type PostgreSQL's `format_type` prints (`character varying(20)`, `numeric(10,2)`).
    static func parse(postgres name: String) -> ColumnType {
        switch name {
        case "bigint": return .bigint
        case "integer": return .integer
        case "double precision": return .double
        case "boolean": return .boolean
        case "text": return .text
        case "bytea": return .bytes
        case "timestamp with time zone": return .timestamp
        case "uuid": return .uuid
        case "jsonb": return .json
        default: return parameterized(name, varchar: "character varying", decimal: "numeric") ?? .custom(name)
        }
    }

    /// The type a SQLite column declares, in any case (`VARCHAR(20)`, `real`).
    static func parse(sqlite declared: String) -> ColumnType {
        let name = declared.uppercased().trimmingCharacters(in: .whitespaces)
        switch name {
        case "BIGINT", "INT8": return .bigint
        case "INTEGER", "INT": return .integer
        case "DOUBLE", "DOUBLE PRECISION", "REAL", "FLOAT": return .double
        case "BOOLEAN", "BOOL": return .boolean
        case "TEXT": return .text
        case "BLOB": return .bytes
        case "TIMESTAMP", "TIMESTAMPTZ", "DATETIME": return .timestamp
        case "UUID": return .uuid
        case "JSON", "JSONB": return .json
        default:
            return parameterized(name, varchar: "VARCHAR", decimal: "DECIMAL")
                ?? parameterized(name, varchar: "CHARACTER VARYING", decimal: "NUMERIC") ?? .custom(declared)
        }
    }

    /// `varchar(n)` and `decimal(p,s)` under the dialect's spelling.
    private static func parameterized(_ name: String, varchar: String, decimal: String) -> ColumnType? {
        guard let open = name.firstIndex(of: "("), name.hasSuffix(")") else { return nil }
        let base = name[..<open].trimmingCharacters(in: .whitespaces)
        let arguments = name[name.index(after: open)..<name.index(before: name.endIndex)]
            .split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch (base, arguments.count) {
        case (varchar, 1): return arguments[0].map { .varchar($0) }
        case (decimal, 2):
            guard let precision = arguments[0], let scale = arguments[1] else { return nil }
            return .decimal(precision: precision, scale: scale)
        default: return nil
        }
    }
}
