import Foundation

/// A request's query string as name → values, decoded the way HTML forms and Python's `requests`
/// encode it (`+` for a space, then percent-escapes).
struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    /// Parses a raw query string (without the `?`).
    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// The last value given for `name`, as Django's `QueryDict.get` returns.
    subscript(_ name: String) -> String? { values[name]?.last }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
