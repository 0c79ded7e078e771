import Foundation
import TandemDatabase

/// Encodes a model into column values, one per coding key, in declaration order.
///
/// Coding keys are column names (GRDB style). Optionals that are nil become NULL instead of being
/// left out, so a type always encodes the same columns. Values that are not single database
/// values (nested structs, arrays, dictionaries) are stored as JSON.
struct RowEncoder {
    /// The coding key under which a detail model keeps its parent; it is not a column.
    static let parentKey = "parent"

    /// The encoded columns and values, in order.
    static func encode(_ value: some Encodable, skippingParent: Bool) throws -> [(column: String, value: DatabaseValue)]
    {
        if let fast = value as? any RowEncodable {
            // `@Columns` writes a detail's own columns only: its parent encodes itself.
            let writer = ColumnWriter()
            try fast.encodeColumns(to: writer)
            return writer.columns
        }
        let storage = ColumnStorage(skipping: skippingParent ? parentKey : nil)
        try value.encode(to: ColumnEncoder(storage: storage))
        return storage.columns
    }

    /// The value of one column only (a primary key), without converting the others.
    static func value(of column: String, in value: some Encodable) throws -> DatabaseValue? {
        if let fast = value as? any RowEncodable {
            let writer = ColumnWriter(only: column)
            try fast.encodeColumns(to: writer)
            return writer.columns.first?.value
        }
        let storage = ColumnStorage(skipping: parentKey, only: column)
        try value.encode(to: ColumnEncoder(storage: storage))
        return storage.columns.first?.value
    }

    /// Converts one Swift value to a database value, falling back to JSON for structured values.
    static func databaseValue(_ value: some Encodable) throws -> DatabaseValue {
        if let convertible = value as? any DatabaseValueConvertible { return convertible.databaseValue }
        let capture = SingleValueCapture()
        do {
            try value.encode(to: capture)
            if let captured = capture.value { return captured }
        } catch is StructuredValue {
            // A keyed or unkeyed container was requested: the value is a document.
        }
        let data = try JSONEncoder().encode(value)
        return .json(String(decoding: data, as: UTF8.self))
    }
}

private final class ColumnStorage {
    var columns: [(column: String, value: DatabaseValue)] = []
    let skipping: String?
    /// When set, every other column is ignored.
    let only: String?

    init(skipping: String?, only: String? = nil) {
        self.skipping = skipping
        self.only = only
        columns.reserveCapacity(only == nil ? 12 : 1)
    }

    func wants(_ column: String) -> Bool {
        column != skipping && (only == nil || only == column)
    }
}

private struct ColumnEncoder: Encoder {
    let storage: ColumnStorage
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(ColumnContainer(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("a model encodes as a keyed container of columns")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("a model encodes as a keyed container of columns")
    }
}

private struct ColumnContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: ColumnStorage
    var codingPath: [any CodingKey] { [] }

    private func put(_ value: @autoclosure () throws -> DatabaseValue, _ key: Key) rethrows {
        let column = key.stringValue
        if storage.wants(column) { storage.columns.append((column, try value())) }
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.text(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try put(.integer(try Self.exact(value, key)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(.integer(try Self.exact(value, key)), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try put(try RowEncoder.databaseValue(value), key)
    }

    // Nil optionals become NULL: the synthesized encoders would otherwise leave the column out.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { put(.null, key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(value.map { .bool($0) } ?? .null, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        put(value.map { .text($0) } ?? .null, key)
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        put(value.map { .double($0) } ?? .null, key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        put(value.map { .integer(Int64($0)) } ?? .null, key)
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        put(value.map { .integer($0) } ?? .null, key)
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        put(value.map { .integer(Int64($0)) } ?? .null, key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        preconditionFailure(
            "column \(key.stringValue): encode structured values as a whole, not through nested containers")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure(
            "column \(key.stringValue): encode structured values as a whole, not through nested containers")
    }

    mutating func superEncoder() -> any Encoder { ColumnEncoder(storage: storage) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ColumnEncoder(storage: storage) }

    private static func exact(_ value: some BinaryInteger, _ key: Key) throws -> Int64 {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: [key], debugDescription: "\(key.stringValue) does not fit a 64-bit database integer"))
        }
        return exact
    }
}

/// Thrown by ``SingleValueCapture`` when a value needs a container: it is stored as JSON.
private struct StructuredValue: Error {}

/// Captures a value that encodes itself as one primitive (enums with raw values, wrappers).
private final class SingleValueCapture: Encoder, SingleValueEncodingContainer {
    var value: DatabaseValue?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(FailingKeyedContainer<Key>())
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { FailingUnkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws { value = .null }
    func encode(_ value: Bool) throws { self.value = .bool(value) }
    func encode(_ value: String) throws { self.value = .text(value) }
    func encode(_ value: Double) throws { self.value = .double(value) }
    func encode(_ value: Float) throws { self.value = .double(Double(value)) }
    func encode(_ value: Int) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: Int8) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: Int16) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: Int32) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: Int64) throws { self.value = .integer(value) }
    func encode(_ value: UInt8) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt16) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt32) throws { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt) throws { throw StructuredValue() }
    func encode(_ value: UInt64) throws { throw StructuredValue() }
    func encode<T: Encodable>(_ value: T) throws { self.value = try RowEncoder.databaseValue(value) }
}

private struct FailingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw StructuredValue() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw StructuredValue() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    { KeyedEncodingContainer(FailingKeyedContainer<NestedKey>()) }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { FailingUnkeyedContainer() }
    mutating func superEncoder() -> any Encoder { SingleValueCapture() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { SingleValueCapture() }
}

private struct FailingUnkeyedContainer: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() throws { throw StructuredValue() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw StructuredValue() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        KeyedEncodingContainer(FailingKeyedContainer<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { FailingUnkeyedContainer() }
    mutating func superEncoder() -> any Encoder { SingleValueCapture() }
}
