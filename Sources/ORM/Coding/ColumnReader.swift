import Foundation
import TandemDatabase

/// Reads one row's columns by name, for ``RowDecodable`` models (the code `@Columns` writes)
/// and for the ORM's `Decodable` path.
///
/// Columns are looked up where the previous one was found first: coding keys usually come in the
/// table's column order, so most lookups take one comparison. The ORM reads every row of a result
/// through one reader, so a reader is only valid inside the `init(columns:)` it is handed to.
public final class ColumnReader {
    /// The row being read.
    public private(set) var row: Row
    @usableFromInline var next = 0

    /// A reader over one row.
    public init(row: Row) {
        self.row = row
    }

    /// Starts over on another row of the same result.
    func reset(to row: Row) {
        self.row = row
        next = 0
    }

    /// The value of a column, or nil when the row has no such column.
    @usableFromInline
    func lookup(_ name: String) -> DatabaseValue? {
        let columns = row.columns
        var index = next
        if index >= columns.count || columns[index] != name {
            guard let found = columns.firstIndex(of: name) else { return nil }
            index = found
        }
        next = index + 1
        return row.values[index]
    }

    /// The value of a column; a `keyNotFound` error names it when it is missing.
    @usableFromInline
    func databaseValue(_ name: String) throws -> DatabaseValue {
        guard let value = lookup(name) else {
            throw DecodingError.keyNotFound(
                ColumnKey(name), .init(codingPath: [ColumnKey(name)], debugDescription: "no column \(name) in the row"))
        }
        return value
    }

    @usableFromInline
    func mismatch(_ type: Any.Type, _ value: DatabaseValue, _ name: String) -> DecodingError {
        RowDecoder.mismatch(type, value, name, [ColumnKey(name)])
    }

    /// Reads a column stored as one database value (text, numbers, booleans, dates, UUIDs, bytes).
    @inlinable
    public func column<T: ColumnValue>(_ name: String) throws -> T {
        let value = try databaseValue(name)
        guard let converted = T.fromDatabaseValue(value) else { throw mismatch(T.self, value, name) }
        return converted
    }

    /// Reads a nullable column stored as one database value; NULL or a missing column reads as nil.
    @inlinable
    public func column<T: ColumnValue>(_ name: String) throws -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        guard let converted = T.fromDatabaseValue(value) else { throw mismatch(T.self, value, name) }
        return converted
    }

    // Concrete overloads win over the generic `Decodable` ones below, so `@Columns`'s
    // `self.x = try columns.value("x")` takes the direct path for every common column type.
    // Optional properties read through `optionalValue`, which keeps the two families unambiguous.
    /// Reads a `String` column.
    @inlinable public func value(_ name: String) throws -> String { try column(name) }
    /// Reads a nullable `String` column.
    @inlinable public func optionalValue(_ name: String) throws -> String? { try column(name) }
    /// Reads a `Int` column.
    @inlinable public func value(_ name: String) throws -> Int { try column(name) }
    /// Reads a nullable `Int` column.
    @inlinable public func optionalValue(_ name: String) throws -> Int? { try column(name) }
    /// Reads a `Int64` column.
    @inlinable public func value(_ name: String) throws -> Int64 { try column(name) }
    /// Reads a nullable `Int64` column.
    @inlinable public func optionalValue(_ name: String) throws -> Int64? { try column(name) }
    /// Reads a `Int32` column.
    @inlinable public func value(_ name: String) throws -> Int32 { try column(name) }
    /// Reads a nullable `Int32` column.
    @inlinable public func optionalValue(_ name: String) throws -> Int32? { try column(name) }
    /// Reads a `Double` column.
    @inlinable public func value(_ name: String) throws -> Double { try column(name) }
    /// Reads a nullable `Double` column.
    @inlinable public func optionalValue(_ name: String) throws -> Double? { try column(name) }
    /// Reads a `Bool` column.
    @inlinable public func value(_ name: String) throws -> Bool { try column(name) }
    /// Reads a nullable `Bool` column.
    @inlinable public func optionalValue(_ name: String) throws -> Bool? { try column(name) }
    /// Reads a `Date` column.
    @inlinable public func value(_ name: String) throws -> Date { try column(name) }
    /// Reads a nullable `Date` column.
    @inlinable public func optionalValue(_ name: String) throws -> Date? { try column(name) }
    /// Reads a `UUID` column.
    @inlinable public func value(_ name: String) throws -> UUID { try column(name) }
    /// Reads a nullable `UUID` column.
    @inlinable public func optionalValue(_ name: String) throws -> UUID? { try column(name) }
    /// Reads a `Data` column.
    @inlinable public func value(_ name: String) throws -> Data { try column(name) }
    /// Reads a nullable `Data` column.
    @inlinable public func optionalValue(_ name: String) throws -> Data? { try column(name) }

    /// Reads any other `Decodable` column: enums with raw values, or structured values stored as JSON.
    @inlinable
    public func value<T: Decodable>(_ name: String) throws -> T {
        try decodeOther(T.self, databaseValue(name), name)
    }

    /// Reads any other nullable `Decodable` column; NULL or a missing column reads as nil.
    @inlinable
    public func optionalValue<T: Decodable>(_ name: String) throws -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        return try decodeOther(T.self, value, name)
    }

    /// Reads a detail model's parent from the same row, through this reader: the parent's columns
    /// come first in a detail query's select list, so the detail's own columns follow where the
    /// parent stops.
    public func parent<T: Decodable>() throws -> T {
        guard let fast = T.self as? any RowDecodable.Type else { return try RowDecoder.decode(T.self, from: row) }
        next = 0
        return try fast.decode(columns: self, as: T.self)
    }

    @usableFromInline
    func decodeOther<T: Decodable>(_ type: T.Type, _ value: DatabaseValue, _ name: String) throws -> T {
        try RowDecoder.value(T.self, from: value, column: name, codingPath: [ColumnKey(name)])
    }
}
