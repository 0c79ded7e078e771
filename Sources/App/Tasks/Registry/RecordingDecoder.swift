import Foundation

/// Collects the top-level fields a `Decodable` type asks for; see ``ArgumentSchema/init(of:)``.
final class SchemaRecorder {
    var fields: [String: ArgumentSchema.Field] = [:]
    /// The key whose `decodeNil` was just asked: the standard library's `decodeIfPresent` for
    /// primitive types asks `decodeNil` first and then `decode`, so that key is optional.
    var askedNil: String?
}

/// A decoder that answers every request with a stand-in value and, at depth 0, notes the keys
/// asked for with their type and whether they were optional.
struct RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let depth: Int
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RecordingKeyedContainer<Key>(recorder: recorder, depth: depth))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        EmptyUnkeyedContainer()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StandInSingleValue(recorder: recorder, depth: depth)
    }

    /// A stand-in value of `type`, decoded from a deeper recorder when it is not a primitive.
    static func standIn<T: Decodable>(_ type: T.Type, recorder: SchemaRecorder, depth: Int) throws -> T {
        switch type {
        case is String.Type: return "" as! T
        case is Bool.Type: return false as! T
        case is Int.Type: return 0 as! T
        case is Int64.Type: return Int64(0) as! T
        case is Int32.Type: return Int32(0) as! T
        case is UInt.Type: return UInt(0) as! T
        case is Double.Type: return 0.0 as! T
        case is Float.Type: return Float(0) as! T
        case is UUID.Type: return UUID() as! T
        case is Date.Type: return Date() as! T
        case is URL.Type: return URL(fileURLWithPath: "/") as! T
        default:
            if let cases = type as? any CaseIterable.Type, let first = firstCase(of: cases) as? T {
                return first
            }
            return try T(from: RecordingDecoder(recorder: recorder, depth: depth + 1))
        }
    }

    private static func firstCase<C: CaseIterable>(of type: C.Type) -> Any? { type.allCases.first }

    /// The JSON type a Swift type decodes from.
    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is UUID.Type, is Date.Type, is URL.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "integer"
        case is Double.Type, is Float.Type: return "number"
        default:
            if type is any CaseIterable.Type { return "string" }
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("Set<") { return "array" }
            return "object"
        }
    }
}

private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    let depth: Int
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool {
        if depth == 0 { recorder.askedNil = key.stringValue }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let optional = recorder.askedNil == key.stringValue
        recorder.askedNil = nil
        note(key, type, required: !optional)
        return try RecordingDecoder.standIn(type, recorder: recorder, depth: depth)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        recorder.askedNil = nil
        note(key, type, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        note(key, [String: String].self, required: true)
        return KeyedDecodingContainer(RecordingKeyedContainer<NestedKey>(recorder: recorder, depth: depth + 1))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        note(key, [String].self, required: true)
        return EmptyUnkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { RecordingDecoder(recorder: recorder, depth: depth + 1) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        RecordingDecoder(recorder: recorder, depth: depth + 1)
    }

    private func note(_ key: Key, _ type: Any.Type, required: Bool) {
        guard depth == 0 else { return }
        recorder.fields[key.stringValue] = ArgumentSchema.Field(
            type: RecordingDecoder.jsonType(type), required: required)
    }
}

private struct EmptyUnkeyedContainer: UnkeyedDecodingContainer {
    var codingPath: [any CodingKey] = []
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { true }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        throw DecodingError.valueNotFound(
            type, DecodingError.Context(codingPath: codingPath, debugDescription: "empty"))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.valueNotFound(
            type, DecodingError.Context(codingPath: codingPath, debugDescription: "empty"))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { self }

    mutating func superDecoder() throws -> any Decoder {
        throw DecodingError.valueNotFound(
            Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "empty"))
    }
}

private struct StandInSingleValue: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    let depth: Int
    var codingPath: [any CodingKey] = []

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try RecordingDecoder.standIn(type, recorder: recorder, depth: depth + 1)
    }
}
