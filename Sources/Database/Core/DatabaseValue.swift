import Foundation

/// A value bound to a statement or read from a row.
///
/// Values always travel as bound parameters, never spliced into SQL text. Each case maps to a
/// native type of both databases (see ``ColumnType`` in TandemSchema for the column side).
public enum DatabaseValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit integer (`BIGINT` / `INTEGER`).
    case integer(Int64)
    /// A double-precision float (`DOUBLE PRECISION` / `REAL`).
    case double(Double)
    /// A boolean (`BOOLEAN`; SQLite stores 0 or 1).
    case bool(Bool)
    /// Text (`TEXT`).
    case text(String)
    /// Bytes (`BYTEA` / `BLOB`).
    case bytes([UInt8])
    /// A point in time, microsecond precision (`TIMESTAMPTZ`; SQLite stores ISO-8601 text in UTC).
    case timestamp(Date)
    /// A UUID (`UUID`; SQLite stores its lowercase text form).
    case uuid(UUID)
    /// A JSON document, as its text (`JSONB`; SQLite stores text).
    case json(String)

    /// Whether this is SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The kind of value without the value itself (`text`, `an integer`, …), for messages that
    /// must not show what a row holds: they end up in logs.
    public var kindName: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .double: "a double"
        case .bool: "a boolean"
        case .text: "text"
        case .bytes: "bytes"
        case .timestamp: "a timestamp"
        case .uuid: "a UUID"
        case .json: "JSON"
        }
    }
}

extension DatabaseValue: CustomStringConvertible {
    /// A short, type-tagged rendering for messages and debugging.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .text(let value): "'\(value)'"
        case .bytes(let value): "<\(value.count) bytes>"
        case .timestamp(let value): TimestampFormat.string(from: value)
        case .uuid(let value): UUIDText.string(value)
        case .json(let value): value
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByStringLiteral
{
    /// SQL NULL.
    public init(nilLiteral: ()) { self = .null }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A double.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Text.
    public init(stringLiteral value: String) { self = .text(value) }
}
