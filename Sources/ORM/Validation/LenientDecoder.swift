import Foundation
import TandemDatabase

/// Decodes a JSON object field by field, recording each missing or mistyped field and going on
/// with a stand-in value, so one pass finds every problem.
struct LenientDecoder: Decoder {
    let object: [String: JSONValue]
    let context: LenientContext
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(LenientContainer<Key>(object: object, context: context))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "expected an object"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "expected an object"))
    }
}

/// What every container of one input shares.
struct LenientContext {
    let recorder: FieldErrorRecorder
    /// Fields the database or the ORM fills in: missing is not an error.
    let generatedFields: Set<String>
}

/// Thrown after recording a field whose type has no stand-in value: decoding stops there.
struct AbandonedField: Error {}

private struct LenientContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSONValue]
    let context: LenientContext
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { key.stringValue == RowEncoder.parentKey || object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool { (object[key.stringValue] ?? .null) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let field = key.stringValue
        if field == RowEncoder.parentKey, let parent = T.self as? any InheritanceMember.Type {
            let withDefaults = object.merging(parent.serializerDefaults) { given, _ in given }
            return try T(from: LenientDecoder(object: withDefaults, context: context))
        }
        guard let raw = object[field], raw != .null else {
            if !context.generatedFields.contains(field) { context.recorder.errors.add(.required, field: field) }
            return try standIn(T.self, for: field)
        }
        if let value = Self.convert(raw, to: T.self) { return value }
        if let data = try? JSONEncoder().encode(raw), let value = try? JSONDecoder().decode(T.self, from: data) {
            return value
        }
        context.recorder.errors.add(.expected(T.self), field: field)
        return try standIn(T.self, for: field)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let raw = object[key.stringValue], raw != .null else { return nil }
        return try decode(T.self, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        KeyedDecodingContainer(
            LenientContainer<NestedKey>(
                object: { if case .object(let nested)? = object[key.stringValue] { nested } else { [:] } }(),
                context: context))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "not supported"))
    }

    func superDecoder() throws -> any Decoder { LenientDecoder(object: object, context: context) }
    func superDecoder(forKey key: Key) throws -> any Decoder { LenientDecoder(object: object, context: context) }

    /// Converts a JSON scalar to a database-convertible type (numbers, booleans, strings, dates,
    /// UUIDs); structured values and other types go through `JSONDecoder`.
    private static func convert<T: Decodable>(_ raw: JSONValue, to type: T.Type) -> T? {
        guard let convertible = T.self as? any DatabaseValueConvertible.Type else { return nil }
        let value: DatabaseValue
        switch raw {
        case .bool(let bool): value = .bool(bool)
        case .integer(let integer): value = .integer(integer)
        case .double(let double): value = .double(double)
        case .string(let string): value = .text(string)
        case .null, .array, .object: return nil
        }
        // Text never stands for a number or a boolean, as in a strict serializer.
        if case .text = value, !(T.self is String.Type || T.self is Date.Type || T.self is UUID.Type) { return nil }
        return convertible.fromDatabaseValue(value) as? T
    }

    /// A placeholder so decoding can go on: an empty value of the common types, else what the
    /// ORM's column finder decodes from stand-ins (an enum's first case, an empty collection).
    /// A type that refuses those ends decoding; the field is then named as required even when
    /// it is read-only, so the error says where the model needs a ``Model/serializerDefaults`` value.
    private func standIn<T: Decodable>(_ type: T.Type, for field: String) throws -> T {
        let standIn: Any? =
            switch type {
            case is String.Type: ""
            case is Bool.Type: false
            case is Int.Type: 0
            case is Int64.Type: Int64(0)
            case is Int32.Type: Int32(0)
            case is Double.Type: 0.0
            case is UUID.Type: UUID()
            case is Date.Type: Date()
            default: nil
            }
        if let value = standIn as? T { return value }
        if let value = try? KeyRecorder.standIn(T.self) { return value }
        if !context.recorder.errors.fields.contains(field) { context.recorder.errors.add(.required, field: field) }
        throw AbandonedField()
    }
}
