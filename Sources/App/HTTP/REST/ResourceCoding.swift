import Foundation
import TandemORM

/// Converts model values to the API's flat JSON objects.
enum ResourceCoding {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }()

    /// The value's fields as one flat object: a detail's `parent` fields (at every depth) merged
    /// into its own, as Pulp shows a detail.
    static func flatObject(_ value: some Encodable) throws -> [String: JSONValue] {
        let json = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
        guard case .object(let object) = json else { return [:] }
        return flatten(object)
    }

    private static func flatten(_ object: [String: JSONValue]) -> [String: JSONValue] {
        guard case .object(let parent)? = object["parent"] else { return object }
        var flat = object
        flat["parent"] = nil
        return flatten(parent).merging(flat) { _, own in own }
    }

    /// The primary key's text, lower-case, as it appears in `pulp_href`.
    static func keyText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): text.lowercased()
        case .integer(let number): String(number)
        default: nil
        }
    }
}
