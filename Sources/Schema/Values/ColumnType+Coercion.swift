import Foundation
import TandemDatabase

extension ColumnType {
    /// Converts a value to the ``TandemDatabase/DatabaseValue`` case this type reads back as,
    /// when it can: `1` becomes `true` for a boolean, timestamp text becomes a timestamp rounded
    /// to microseconds, JSON text gets a canonical spelling. Other values stay as they are.
    public func coerce(_ value: DatabaseValue) -> DatabaseValue {
        switch (self, value) {
        case (.boolean, .integer(let int)) where int == 0 || int == 1:
            return .bool(int == 1)
        case (.bigint, .text(let text)), (.integer, .text(let text)):
            return Int64(text).map { .integer($0) } ?? value
        case (.double, .integer(let int)):
            return .double(Double(int))
        case (.double, .text(let text)):
            return Double(text).map { .double($0) } ?? value
        case (.timestamp, .text(let text)):
            return TimestampFormat.date(from: text).map { .timestamp(Self.microseconds($0)) } ?? value
        case (.timestamp, .timestamp(let date)):
            return .timestamp(Self.microseconds(date))
        case (.uuid, .text(let text)):
            return UUID(uuidString: text).map { .uuid($0) } ?? value
        case (.json, .text(let text)), (.json, .json(let text)):
            return .json(Self.canonicalJSON(text))
        case (.decimal, .integer(let int)):
            return .text(String(int))
        case (.decimal, .double(let double)):
            return .text(String(double))
        default:
            return value
        }
    }

    /// Dates keep microseconds, as both databases do.
    private static func microseconds(_ date: Date) -> Date {
        TimestampFormat.date(from: TimestampFormat.string(from: date)) ?? date
    }

    /// JSON with sorted keys and no insignificant whitespace, so `{"b": 1, "a": 2}` (PostgreSQL's
    /// JSONB output) and `{"a":2,"b":1}` compare equal; text that is not JSON stays as it is.
    private static func canonicalJSON(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
