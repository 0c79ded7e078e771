import Foundation
import TandemDatabase

/// Decodes a model from a row, reading each coding key as a column.
///
/// A detail model's `parent` is decoded from the same row: a detail query selects the joined
/// master and detail columns side by side.
struct RowDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from row: Row) throws -> T {
        if let fast = T.self as? any RowDecodable.Type {
            return try fast.decode(columns: ColumnReader(row: row), as: T.self)
        }
        return try T(from: ColumnDecoder(row: row))
    }

    /// A decoding function for many rows of one type: the fast ``RowDecodable`` path is chosen
    /// once, not per row.
    static func decoder<T: Decodable>(for type: T.Type) -> (Row) throws -> T {
        guard let fast = T.self as? any RowDecodable.Type else { return { try T(from: ColumnDecoder(row: $0)) } }
        // One reader serves every row (one allocation per result, not per row and level).
        var reader: ColumnReader?
        return { row in
            let current: ColumnReader
            if let reader {
                reader.reset(to: row)
                current = reader
            } else {
                current = ColumnReader(row: row)
                reader = current
            }
            return try fast.decode(columns: current, as: T.self)
        }
    }

    /// Converts one database value to a Swift value, reading JSON for structured values.
    static func value<T: Decodable>(
        _ type: T.Type, from value: DatabaseValue, column: String, codingPath: [any CodingKey]
    )
        throws -> T
    {
        if let convertible = T.self as? any DatabaseValueConvertible.Type {
            if let converted = convertible.fromDatabaseValue(value) as? T { return converted }
            throw mismatch(T.self, value, column, codingPath)
        }
        if let decoded = try? T(from: SingleValueDecoder(value: value, column: column, codingPath: codingPath)) {
            return decoded
        }
        switch value {
        case .json(let text), .text(let text): return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        default: throw mismatch(T.self, value, column, codingPath)
        }
    }

    static func mismatch(_ type: Any.Type, _ value: DatabaseValue, _ column: String, _ codingPath: [any CodingKey])
        -> DecodingError
    {
        DecodingError.typeMismatch(
            type,
            .init(codingPath: codingPath, debugDescription: "column \(column) holds \(value.kindName), not \(type)"))
    }
}

private struct ColumnDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ColumnDecodingContainer<Key>(reader: ColumnReader(row: row)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [], debugDescription: "a model decodes from a row of columns"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: [], debugDescription: "a model decodes from a row of columns"))
    }
}

/// What the `Decodable` path's keyed container asks of a reader.
extension ColumnReader {
    func convert<T: DatabaseValueConvertible>(_ name: String) throws -> T {
        try convert(try databaseValue(name), name)
    }

    func convert<T: DatabaseValueConvertible>(_ value: DatabaseValue, _ name: String) throws -> T {
        guard let converted = T.fromDatabaseValue(value) else {
            throw RowDecoder.mismatch(T.self, value, name, [ColumnKey(name)])
        }
        return converted
    }

    func optional<T: DatabaseValueConvertible>(_ name: String) throws -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        return try convert(value, name) as T
    }

    func narrow<T: FixedWidthInteger>(_ name: String) throws -> T {
        let wide: Int64 = try convert(name)
        guard let narrow = T(exactly: wide) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [ColumnKey(name)],
                    debugDescription: "column \(name) holds an integer that does not fit \(T.self)")
            )
        }
        return narrow
    }

    func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        // Fast paths for the common column types skip the dynamic conformance checks below.
        if T.self == UUID.self { return unsafeBitCast(try convert(name) as UUID, to: T.self) }
        if T.self == Date.self { return unsafeBitCast(try convert(name) as Date, to: T.self) }
        if name == RowEncoder.parentKey, T.self is any InheritanceMember.Type {
            return try RowDecoder.decode(T.self, from: row)
        }
        return try RowDecoder.value(T.self, from: try databaseValue(name), column: name, codingPath: [ColumnKey(name)])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
        guard let value = lookup(name), !value.isNull else { return nil }
        if T.self == UUID.self { return unsafeBitCast(try convert(value, name) as UUID, to: T.self) }
        if T.self == Date.self { return unsafeBitCast(try convert(value, name) as Date, to: T.self) }
        return try RowDecoder.value(T.self, from: value, column: name, codingPath: [ColumnKey(name)])
    }
}

/// A coding key for messages about a column.
struct ColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

private struct ColumnDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: ColumnReader
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { reader.row.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        key.stringValue == RowEncoder.parentKey || reader.row.columns.contains(key.stringValue)
    }

    func decodeNil(forKey key: Key) throws -> Bool { (reader.row[key.stringValue] ?? .null).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.convert(key.stringValue) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.convert(key.stringValue) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.convert(key.stringValue) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try reader.convert(key.stringValue) as Double)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.convert(key.stringValue) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.convert(key.stringValue) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.convert(key.stringValue) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.narrow(key.stringValue) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.narrow(key.stringValue) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.narrow(key.stringValue) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.narrow(key.stringValue) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.narrow(key.stringValue) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.narrow(key.stringValue) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.narrow(key.stringValue) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try reader.decode(T.self, key.stringValue)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try reader.decodeIfPresent(T.self, key.stringValue)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try reader.optional(key.stringValue)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try reader.optional(key.stringValue) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try reader.optional(key.stringValue) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try reader.optional(key.stringValue)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try reader.optional(key.stringValue) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.typeMismatch(
            type, .init(codingPath: [key], debugDescription: "column \(key.stringValue) is not a nested container"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self,
            .init(codingPath: [key], debugDescription: "column \(key.stringValue) is not a nested container"))
    }

    func superDecoder() throws -> any Decoder { ColumnDecoder(row: reader.row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ColumnDecoder(row: reader.row) }
}

/// Decodes a value that is one database value: enums with raw values and other wrappers.
private struct SingleValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: DatabaseValue
    let column: String
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw RowDecoder.mismatch(type, value, column, codingPath)
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw RowDecoder.mismatch([Any].self, value, column, codingPath)
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value.isNull }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try RowDecoder.value(T.self, from: value, column: column, codingPath: codingPath)
    }
    func decode(_ type: Bool.Type) throws -> Bool { try primitive() }
    func decode(_ type: String.Type) throws -> String { try primitive() }
    func decode(_ type: Double.Type) throws -> Double { try primitive() }
    func decode(_ type: Float.Type) throws -> Float { Float(try primitive() as Double) }
    func decode(_ type: Int.Type) throws -> Int { try primitive() }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow() }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow() }
    func decode(_ type: Int32.Type) throws -> Int32 { try primitive() }
    func decode(_ type: Int64.Type) throws -> Int64 { try primitive() }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow() }

    private func primitive<T: DatabaseValueConvertible>() throws -> T {
        guard let converted = T.fromDatabaseValue(value) else {
            throw RowDecoder.mismatch(T.self, value, column, codingPath)
        }
        return converted
    }

    private func narrow<T: FixedWidthInteger>() throws -> T {
        guard let narrow = T(exactly: try primitive() as Int64) else {
            throw RowDecoder.mismatch(T.self, value, column, codingPath)
        }
        return narrow
    }
}

extension Model {
    /// Decodes a value from a row of a query you wrote yourself; columns are matched to coding keys.
    public init(row: Row) throws {
        self = try RowDecoder.decode(Self.self, from: row)
    }
}
