/// One setting's value, as YAML gives it: a scalar, a list or a mapping that keeps its key order.
///
/// Settings come from YAML (built-in and plugin defaults, the settings file) and from
/// environment variables parsed as YAML scalars, so a value is one of YAML's core types.
public enum SettingValue: Sendable, Hashable {
    /// YAML's `null` (`~`, `null` or an empty value).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int)
    /// A number with a fraction or exponent.
    case double(Double)
    /// Text, including quoted numbers (`"4"`).
    case string(String)
    /// A list of values.
    case list([SettingValue])
    /// Keys mapped to values, in the order they were written.
    case mapping(SettingMapping)

    /// The value's kind, for type checks and messages.
    public var kind: SettingKind? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int: .int
        case .double: .double
        case .string: .string
        case .list: .list
        case .mapping: .mapping
        }
    }

    /// How the value's kind reads in a message: `an integer`, `a string`, `null`.
    public var kindDescription: String { kind.map { $0.description } ?? "null" }

    /// The value as a number, when it is an integer or a double.
    public var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}

extension SettingValue: Encodable {
    /// Encodes the value as the JSON value it reads as (a mapping as an object).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mapping(let mapping):
            var container = encoder.container(keyedBy: SettingCodingKey.self)
            for (key, value) in mapping {
                try container.encode(value, forKey: SettingCodingKey(stringValue: key))
            }
        default:
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            case .list(let values): try container.encode(values)
            case .mapping: preconditionFailure("mappings are encoded above")
            }
        }
    }
}

/// A mapping key as a coding key, for encoding setting mappings to JSON.
struct SettingCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
