import Foundation
import TandemORM

/// Finds a model's fields and their JSON types by decoding one value from a decoder that answers
/// every request with a stand-in and records what was asked: the OpenAPI schema of a serializer,
/// without the plugin declaring its fields twice.
enum FieldSchemaProbe {
    /// One field: its name, its JSON schema, and whether it may be null.
    struct Field: Sendable {
        let name: String
        let schema: JSONValue
        let nullable: Bool
    }

    /// The fields of `type` in declaration order (a detail's master fields first). A field whose
    /// type cannot be probed gets an empty schema: every column of ``Model/tableColumns`` is listed.
    static func fields(of type: any Model.Type) -> [Field] {
        let recorder = Recorder()
        _ = try? type.init(from: ProbeDecoder(recorder: recorder))
        var fields = recorder.fields
        let seen = Set(fields.map(\.name))
        // A type whose columns cannot be found lists the fields the probe found; its statements
        // fail with the error naming it.
        for column in ((try? type.tableColumns) ?? []).joined() where !seen.contains(column) {
            fields.append(Field(name: column, schema: .object([:]), nullable: true))
        }
        return fields
    }

    final class Recorder {
        var fields: [Field] = []
        func record(_ name: String, _ schema: JSONValue, nullable: Bool) {
            guard !fields.contains(where: { $0.name == name }) else { return }
            fields.append(Field(name: name, schema: schema, nullable: nullable))
        }
    }

    struct ProbeDecoder: Decoder {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(ProbeContainer<Key>(recorder: recorder))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw ProbeError() }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { throw ProbeError() }
    }

    struct ProbeError: Error {}

    static func schema(type: String, format: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["type": .string(type)]
        if let format { object["format"] = .string(format) }
        return .object(object)
    }

    struct ProbeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "boolean"), nullable: false)
            return false
        }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "string"), nullable: false)
            return ""
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "number", format: "double"), nullable: false)
            return 0
        }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "number", format: "float"), nullable: false)
            return 0
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { integer(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { integer(key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { integer(key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { integer(key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { integer(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { integer(key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { integer(key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { integer(key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { integer(key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { integer(key) }

        private func integer<T: FixedWidthInteger>(_ key: Key) -> T {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "integer", format: "int64"), nullable: false)
            return 0
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try value(type, key, nullable: false)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            try value(type, key, nullable: true)
        }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "string"), nullable: true)
            return nil
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "boolean"), nullable: true)
            return nil
        }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "integer", format: "int64"), nullable: true)
            return nil
        }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "integer", format: "int64"), nullable: true)
            return nil
        }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
            recorder.record(key.stringValue, FieldSchemaProbe.schema(type: "number", format: "double"), nullable: true)
            return nil
        }

        /// A stand-in for any other type: the detail's parent is probed in place; dates, UUIDs
        /// and JSON-shaped values get their schema.
        private func value<T: Decodable>(_ type: T.Type, _ key: Key, nullable: Bool) throws -> T {
            if key.stringValue == "parent", !nullable {
                return try T(from: ProbeDecoder(recorder: recorder))
            }
            let name = key.stringValue
            if T.self == Date.self {
                recorder.record(name, FieldSchemaProbe.schema(type: "string", format: "date-time"), nullable: nullable)
                return Date() as! T
            }
            if T.self == UUID.self {
                recorder.record(name, FieldSchemaProbe.schema(type: "string", format: "uuid"), nullable: nullable)
                return UUID() as! T
            }
            for (json, schemaType) in [
                ("{}", "object"), ("[]", "array"), ("\"\"", "string"), ("0", "integer"),
                ("false", "boolean"),
            ] {
                if let stand = try? JSONDecoder().decode(T.self, from: Data(json.utf8)) {
                    var described = FieldSchemaProbe.schema(type: schemaType)
                    if schemaType == "array", case .object(var object) = described {
                        object["items"] = .object([:])
                        described = .object(object)
                    }
                    recorder.record(name, described, nullable: nullable)
                    return stand
                }
            }
            throw ProbeError()
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        { throw ProbeError() }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw ProbeError() }
        func superDecoder() throws -> any Decoder { throw ProbeError() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw ProbeError() }
    }
}
