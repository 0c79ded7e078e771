import Foundation
import TandemDatabase

/// Finds the coding keys a `Decodable` type reads by running its `init(from:)` against a decoder
/// that records each key and answers with a stand-in value.
///
/// A model whose decoding needs a value no stand-in satisfies (a type that validates what it
/// decodes, beyond the enums handled here) cannot be read this way: mark it `@Columns`, which
/// lists its columns at compile time, or declare ``Model/tableColumns`` yourself.
enum KeyRecorder {
    static func keys<T: Decodable>(of type: T.Type) throws(ModelDefinitionError) -> [String] {
        let recorder = Recording()
        do {
            _ = try T(from: RecordingDecoder(recording: recorder, isTopLevel: true))
        } catch {
            // The error comes from decoding stand-ins, so it holds no row value.
            throw .unreadableColumns(type: "\(T.self)", reason: "\(error)")
        }
        return recorder.keys
    }

    /// An empty value of `type` (see ``StandInValue``), for a field that must have some value.
    static func standIn<T: Decodable>(_ type: T.Type) throws -> T {
        try StandInValue().decode(T.self)
    }
}

/// The keys asked for so far, without repeats.
private final class Recording {
    var keys: [String] = []

    func add(_ key: String) {
        if key != RowEncoder.parentKey, !keys.contains(key) { keys.append(key) }
    }
}

/// The top level records keys; nested levels (a column's own `Decodable` value) only answer.
private struct RecordingDecoder: Decoder {
    let recording: Recording
    let isTopLevel: Bool
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingContainer<Key>(recording: isTopLevel ? recording : Recording()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { EmptyUnkeyedContainer() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { StandInValue() }
}

private struct RecordingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recording: Recording
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool {
        recording.add(key.stringValue)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        recording.add(key.stringValue)
        return true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if key.stringValue == RowEncoder.parentKey {
            // The parent's columns belong to its own level: decode it without recording.
            return try T(from: RecordingDecoder(recording: Recording(), isTopLevel: true))
        }
        recording.add(key.stringValue)
        return try StandInValue().decode(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        recording.add(key.stringValue)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        recording.add(key.stringValue)
        return KeyedDecodingContainer(RecordingContainer<NestedKey>(recording: Recording()))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        recording.add(key.stringValue)
        return EmptyUnkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { RecordingDecoder(recording: recording, isTopLevel: true) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        RecordingDecoder(recording: recording, isTopLevel: true)
    }
}

/// Answers every request for one value with an empty one: `""`, `0`, `false`, an enum's first
/// case, an empty collection, a database value's own stand-in (a UUID, a timestamp).
private struct StandInValue: SingleValueDecodingContainer {
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { false }
    func decode(_ type: String.Type) throws -> String { "" }
    func decode(_ type: Double.Type) throws -> Double { 0 }
    func decode(_ type: Float.Type) throws -> Float { 0 }
    func decode(_ type: Int.Type) throws -> Int { 0 }
    func decode(_ type: Int8.Type) throws -> Int8 { 0 }
    func decode(_ type: Int16.Type) throws -> Int16 { 0 }
    func decode(_ type: Int32.Type) throws -> Int32 { 0 }
    func decode(_ type: Int64.Type) throws -> Int64 { 0 }
    func decode(_ type: UInt.Type) throws -> UInt { 0 }
    func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
    func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
    func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let iterable = T.self as? any CaseIterable.Type, let first = firstCase(iterable) as? T { return first }
        if T.self is any RawRepresentable.Type, MemoryLayout<T>.size <= 1 {
            // An enum without payloads (its raw values may not include "" or 0): by the Swift ABI
            // its cases are tags numbered from 0 in declaration order, so a zero byte is its first case.
            return withUnsafeBytes(of: UInt8(0)) { $0.load(as: T.self) }
        }
        if let convertible = T.self as? any DatabaseValueConvertible.Type {
            let standIns: [DatabaseValue] = [
                .text(""), .integer(0), .uuid(UUID()), .timestamp(Date(timeIntervalSince1970: 0)),
            ]
            for standIn in standIns {
                if let value = convertible.fromDatabaseValue(standIn) as? T { return value }
            }
        }
        return try T(from: RecordingDecoder(recording: Recording(), isTopLevel: false))
    }

    private func firstCase<C: CaseIterable>(_ type: C.Type) -> Any? { C.allCases.first }
}

private struct EmptyUnkeyedContainer: UnkeyedDecodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { true }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        throw DecodingError.valueNotFound(
            type, .init(codingPath: [], debugDescription: "a stand-in collection is empty"))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        KeyedDecodingContainer(RecordingContainer<NestedKey>(recording: Recording()))
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { EmptyUnkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { RecordingDecoder(recording: Recording(), isTopLevel: false) }
}
