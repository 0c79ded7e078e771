import Foundation
import TandemDatabase

/// Defaults encode as `{"expression": "now()"}` or `{"literal": {"type": "text", "value": "x"}}`;
/// bytes encode as base64 and timestamps as Tandem's timestamp text.
extension ColumnDefault: Codable {
    private enum CodingKeys: String, CodingKey {
        case literal, expression
    }

    private enum LiteralKeys: String, CodingKey {
        case type, value
    }

    /// Decodes the form ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let expression = try container.decodeIfPresent(SchemaExpression.self, forKey: .expression) {
            self = .expression(expression)
            return
        }
        let literal = try container.nestedContainer(keyedBy: LiteralKeys.self, forKey: .literal)
        let type = try literal.decode(String.self, forKey: .type)
        let value: DatabaseValue
        switch type {
        case "null": value = .null
        case "integer": value = .integer(try literal.decode(Int64.self, forKey: .value))
        case "double": value = .double(try literal.decode(Double.self, forKey: .value))
        case "bool": value = .bool(try literal.decode(Bool.self, forKey: .value))
        case "text": value = .text(try literal.decode(String.self, forKey: .value))
        case "json": value = .json(try literal.decode(String.self, forKey: .value))
        case "bytes":
            guard let data = Data(base64Encoded: try literal.decode(String.self, forKey: .value)) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: literal, debugDescription: "invalid base64")
            }
            value = .bytes(Array(data))
        case "timestamp":
            guard let date = TimestampFormat.date(from: try literal.decode(String.self, forKey: .value)) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: literal, debugDescription: "invalid timestamp")
            }
            value = .timestamp(date)
        case "uuid": value = .uuid(try literal.decode(UUID.self, forKey: .value))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: literal, debugDescription: "unknown literal type \(type)")
        }
        self = .literal(value)
    }

    /// Encodes the default as described on the extension.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .expression(let expression):
            try container.encode(expression, forKey: .expression)
        case .literal(let value):
            var literal = container.nestedContainer(keyedBy: LiteralKeys.self, forKey: .literal)
            switch value {
            case .null: try literal.encode("null", forKey: .type)
            case .integer(let int): try literal.encode("integer", forKey: .type); try literal.encode(int, forKey: .value)
            case .double(let double): try literal.encode("double", forKey: .type); try literal.encode(double, forKey: .value)
            case .bool(let bool): try literal.encode("bool", forKey: .type); try literal.encode(bool, forKey: .value)
            case .text(let text): try literal.encode("text", forKey: .type); try literal.encode(text, forKey: .value)
            case .json(let json): try literal.encode("json", forKey: .type); try literal.encode(json, forKey: .value)
            case .bytes(let bytes):
                try literal.encode("bytes", forKey: .type)
                try literal.encode(Data(bytes).base64EncodedString(), forKey: .value)
            case .timestamp(let date):
                try literal.encode("timestamp", forKey: .type)
                try literal.encode(TimestampFormat.string(from: date), forKey: .value)
            case .uuid(let uuid): try literal.encode("uuid", forKey: .type); try literal.encode(uuid, forKey: .value)
            }
        }
    }
}
