import Foundation

/// A Swift type that converts to and from a ``DatabaseValue``.
///
/// Conversions from the database are lenient where the two drivers store one type differently:
/// SQLite returns booleans as integers and timestamps, UUIDs and JSON as text, so each type
/// accepts those forms too.
public protocol DatabaseValueConvertible: Sendable {
    /// The value to bind.
    var databaseValue: DatabaseValue { get }
    /// Converts a value read from a row; nil when it cannot represent this type.
    static func fromDatabaseValue(_ value: DatabaseValue) -> Self?
}

extension DatabaseValue: DatabaseValueConvertible {
    /// The value itself.
    public var databaseValue: DatabaseValue { self }
    /// The value itself.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DatabaseValue? { value }
}

extension Int64: DatabaseValueConvertible {
    /// An integer value.
    public var databaseValue: DatabaseValue { .integer(self) }
    /// Reads integers, booleans and integral doubles.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let int): int
        case .bool(let bool): bool ? 1 : 0
        case .double(let double): Int64(exactly: double)
        case .text(let text): Int64(text)
        default: nil
        }
    }
}

extension Int: DatabaseValueConvertible {
    /// An integer value.
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    /// Reads what `Int64` reads.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int? {
        Int64.fromDatabaseValue(value).flatMap { Int(exactly: $0) }
    }
}

extension Int32: DatabaseValueConvertible {
    /// An integer value.
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    /// Reads what `Int64` reads, when it fits.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int32? {
        Int64.fromDatabaseValue(value).flatMap { Int32(exactly: $0) }
    }
}

extension Double: DatabaseValueConvertible {
    /// A double value.
    public var databaseValue: DatabaseValue { .double(self) }
    /// Reads doubles and integers.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let double): double
        case .integer(let int): Double(int)
        case .text(let text): Double(text)
        default: nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    /// A boolean value.
    public var databaseValue: DatabaseValue { .bool(self) }
    /// Reads booleans and the integers 0 and 1.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Bool? {
        switch value {
        case .bool(let bool): bool
        case .integer(0): false
        case .integer(1): true
        default: nil
        }
    }
}

extension String: DatabaseValueConvertible {
    /// A text value.
    public var databaseValue: DatabaseValue { .text(self) }
    /// Reads text and JSON text.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let text), .json(let text): text
        default: nil
        }
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    /// A bytes value.
    public var databaseValue: DatabaseValue { .bytes(self) }
    /// Reads bytes.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> [UInt8]? {
        if case .bytes(let bytes) = value { return bytes }
        return nil
    }
}

extension Data: DatabaseValueConvertible {
    /// A bytes value.
    public var databaseValue: DatabaseValue { .bytes(Array(self)) }
    /// Reads bytes.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Data? {
        if case .bytes(let bytes) = value { return Data(bytes) }
        return nil
    }
}

extension Date: DatabaseValueConvertible {
    /// A timestamp value.
    public var databaseValue: DatabaseValue { .timestamp(self) }
    /// Reads timestamps and their text form.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Date? {
        switch value {
        case .timestamp(let date): date
        case .text(let text): TimestampFormat.date(from: text)
        default: nil
        }
    }
}

extension UUID: DatabaseValueConvertible {
    /// A UUID value.
    public var databaseValue: DatabaseValue { .uuid(self) }
    /// Reads UUIDs and their text form.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UUID? {
        switch value {
        case .uuid(let uuid): uuid
        case .text(let text): UUIDText.uuid(text)
        default: nil
        }
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    /// The wrapped value, or NULL.
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
    /// NULL reads as nil; anything else as the wrapped type.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Wrapped?? {
        if value.isNull { return .some(nil) }
        return Wrapped.fromDatabaseValue(value).map { .some($0) }
    }
}
