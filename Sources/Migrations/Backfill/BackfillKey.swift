import Foundation
import TandemDatabase

/// The primary key a backfill walks, and how a key value is kept in a checkpoint: a JSON array
/// with one element per key column (`[42]`, `["0b9e…"]`, `["eu", 7]`).
struct BackfillKey: Sendable {
    /// The key columns, in key order.
    let columns: [String]

    /// One key column's value as the checkpoint stores it.
    private enum Element: Codable {
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case text(String)
        case bytes(base64: String)

        init(_ value: DatabaseValue) {
            switch value {
            case .integer(let value): self = .integer(value)
            case .double(let value): self = .double(value)
            case .bool(let value): self = .bool(value)
            case .text(let text), .json(let text): self = .text(text)
            case .bytes(let bytes): self = .bytes(base64: Data(bytes).base64EncodedString())
            case .uuid, .timestamp: self = .text(value.description)
            case .null: preconditionFailure("a primary key column is never NULL")
            }
        }

        /// The value to bind. UUIDs and timestamps go back as text: PostgreSQL infers the
        /// column's type from the statement, and SQLite stores them as this very text.
        var value: DatabaseValue {
            switch self {
            case .integer(let value): .integer(value)
            case .double(let value): .double(value)
            case .bool(let value): .bool(value)
            case .text(let text): .text(text)
            case .bytes(let base64): .bytes(Array(Data(base64Encoded: base64) ?? Data()))
            }
        }

        init(from decoder: any Decoder) throws {
            if let keyed = try? decoder.container(keyedBy: BytesKey.self) {
                self = .bytes(base64: try keyed.decode(String.self, forKey: .base64))
                return
            }
            let single = try decoder.singleValueContainer()
            if let value = try? single.decode(Int64.self) {
                self = .integer(value)
            } else if let value = try? single.decode(Double.self) {
                self = .double(value)
            } else if let value = try? single.decode(Bool.self) {
                self = .bool(value)
            } else {
                self = .text(try single.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .bytes(let base64):
                var keyed = encoder.container(keyedBy: BytesKey.self)
                try keyed.encode(base64, forKey: .base64)
            case .integer(let value):
                var single = encoder.singleValueContainer()
                try single.encode(value)
            case .double(let value):
                var single = encoder.singleValueContainer()
                try single.encode(value)
            case .bool(let value):
                var single = encoder.singleValueContainer()
                try single.encode(value)
            case .text(let value):
                var single = encoder.singleValueContainer()
                try single.encode(value)
            }
        }

        private enum BytesKey: String, CodingKey { case base64 }
    }

    /// The checkpoint text of a key.
    func encode(_ values: [DatabaseValue]) -> String {
        precondition(values.count == columns.count, "one value per key column")
        let data = try! JSONEncoder().encode(values.map(Element.init))
        return String(decoding: data, as: UTF8.self)
    }

    /// The key a checkpoint's text holds, nil when it is not one of this key's.
    func decode(_ text: String) -> [DatabaseValue]? {
        guard let elements = try? JSONDecoder().decode([Element].self, from: Data(text.utf8)),
            elements.count == columns.count
        else { return nil }
        return elements.map(\.value)
    }
}
