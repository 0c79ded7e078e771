import Foundation

/// One change fragment: `CHANGES/<issue>.<type>` or `CHANGES/<issue>.<type>.<n>`, or the same
/// under `CHANGES/plugin_api/` for a change to the plugin API.
public struct Fragment: Sendable, Hashable {
    /// The tracker's issue number.
    public let issue: Int
    /// What kind of change it is.
    public let type: FragmentType
    /// Its number among the issue's fragments of one type (`7.feature.2` → 2), or nil.
    public let counter: Int?
    /// Whether it lives in `CHANGES/plugin_api/`.
    public let isPluginAPI: Bool
    /// The path relative to the package root (`CHANGES/plugin_api/12.deprecation`).
    public let path: String
    /// The Markdown text, trimmed.
    public let text: String

    /// Reads a fragment name: nil with the reason when it is not `<issue>.<type>[.<n>]` with a known type.
    static func parse(name: String) -> Result<(issue: Int, type: FragmentType, counter: Int?), NameError> {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), let issue = number(parts[0]) else {
            return .failure(.malformed)
        }
        guard let type = FragmentType(rawValue: parts[1]) else {
            return .failure(.unknownType(parts[1]))
        }
        guard parts.count == 2 else {
            guard let counter = number(parts[2]) else { return .failure(.malformed) }
            return .success((issue, type, counter))
        }
        return .success((issue, type, nil))
    }

    /// Why a file name is not a fragment name.
    enum NameError: Error {
        /// Not `<issue>.<type>` or `<issue>.<type>.<n>`.
        case malformed
        /// The type part is not one of ``FragmentType``.
        case unknownType(String)
    }

    private static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Whether the text names `symbol`: contains its name with no identifier character right before
    /// it (so `` `Greeter.greet(name:)` `` and `greet(name:)` both name `greet(name:)`), and, for a
    /// name that does not end in `)`, no identifier character, `(` or `.` right after it (so
    /// `Greeter.greet(name:)` does not name the type `Greeter`).
    public func names(_ symbol: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: symbol, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let boundedBefore = before.map { !Self.isIdentifierCharacter($0) } ?? true
            let boundedAfter =
                symbol.hasSuffix(")")
                || (after.map { !Self.isIdentifierCharacter($0) && $0 != "(" && $0 != "." } ?? true)
            if boundedBefore && boundedAfter { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    private static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
