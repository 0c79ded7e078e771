/// The type of a column, as one value for both dialects.
///
/// Each case maps to a native type of PostgreSQL and to a declared type of SQLite that the
/// SQLite driver reads back as the same ``TandemDatabase/DatabaseValue`` case:
///
/// | case | PostgreSQL | SQLite |
/// |---|---|---|
/// | ``bigint`` | `BIGINT` | `BIGINT` |
/// | ``integer`` | `INTEGER` | `INTEGER` (`INT` for a lone primary key, see below) |
/// | ``double`` | `DOUBLE PRECISION` | `DOUBLE` |
/// | ``boolean`` | `BOOLEAN` | `BOOLEAN` |
/// | ``text`` | `TEXT` | `TEXT` |
/// | ``varchar(_:)`` | `VARCHAR(n)` | `VARCHAR(n)` |
/// | ``bytes`` | `BYTEA` | `BLOB` |
/// | ``timestamp`` | `TIMESTAMPTZ` | `TIMESTAMP` |
/// | ``uuid`` | `UUID` | `UUID` |
/// | ``json`` | `JSONB` | `JSON` |
/// | ``decimal(precision:scale:)`` | `NUMERIC(p,s)` | `DECIMAL(p,s)` |
///
/// On SQLite a lone `INTEGER PRIMARY KEY` column is an alias of the rowid, which is how
/// identity columns are made there; a plain ``integer`` primary key is declared `INT` so that
/// it stays an ordinary column.
public enum ColumnType: Sendable, Hashable, Codable {
    /// A 64-bit integer.
    case bigint
    /// A 32-bit integer (SQLite stores any integer; the bound is PostgreSQL's).
    case integer
    /// A double-precision float.
    case double
    /// A boolean (SQLite stores 0 or 1).
    case boolean
    /// Text of any length.
    case text
    /// Text of at most `length` characters (SQLite does not enforce the bound).
    case varchar(Int)
    /// Bytes.
    case bytes
    /// A point in time with time zone, microsecond precision (SQLite stores UTC text).
    case timestamp
    /// A UUID (SQLite stores its lowercase text).
    case uuid
    /// A JSON document (`JSONB` on PostgreSQL, text on SQLite).
    case json
    /// An exact number with `precision` digits, `scale` of them after the point; its values
    /// travel as text (SQLite stores them with numeric affinity).
    case decimal(precision: Int, scale: Int)
    /// A type Tandem does not model, kept as the database spelled it (`date`, `smallint`…).
    case custom(String)

    /// A dialect-neutral name for messages: `bigint`, `varchar(20)`, `decimal(10,2)`.
    public var name: String {
        switch self {
        case .bigint: "bigint"
        case .integer: "integer"
        case .double: "double"
        case .boolean: "boolean"
        case .text: "text"
        case .varchar(let length): "varchar(\(length))"
        case .bytes: "bytes"
        case .timestamp: "timestamp"
        case .uuid: "uuid"
        case .json: "json"
        case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
        case .custom(let name): name
        }
    }
}
