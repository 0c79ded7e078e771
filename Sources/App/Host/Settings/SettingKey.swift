/// A setting's key: the path of mapping keys leading to it.
///
/// Written with dots between keys, `process_ttl.api`; a key that holds a dot (or a quote,
/// a space, or nothing) is double-quoted, `logging.loggers."tandem.deprecation".level`,
/// with `\"` and `\\` inside the quotes.
public struct SettingKey: Sendable, Hashable, CustomStringConvertible {
    /// The mapping keys, outermost first.
    public let segments: [String]

    /// A key of these mapping keys.
    public init(segments: [String]) {
        self.segments = segments
    }

    /// Parses a dotted key; throws a message saying what is wrong with it.
    public init(parsing text: String) throws(SettingKeyError) {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var characters = text.makeIterator()
        while let character = characters.next() {
            if quoted {
                switch character {
                case "\"": quoted = false
                case "\\":
                    guard let escaped = characters.next() else {
                        throw SettingKeyError(key: text, reason: "it ends inside a quoted part")
                    }
                    current.append(escaped)
                default: current.append(character)
                }
            } else if character == "." {
                guard !current.isEmpty || wasQuoted else {
                    throw SettingKeyError(key: text, reason: "it has an empty part (quote an empty key: \"\")")
                }
                segments.append(current)
                current = ""
                wasQuoted = false
            } else if character == "\"" {
                guard current.isEmpty, !wasQuoted else {
                    throw SettingKeyError(key: text, reason: "a quote may only start a part")
                }
                quoted = true
                wasQuoted = true
            } else {
                guard !wasQuoted else {
                    throw SettingKeyError(key: text, reason: "a quoted part must be followed by a dot or the end")
                }
                current.append(character)
            }
        }
        guard !quoted else { throw SettingKeyError(key: text, reason: "a quote is not closed") }
        guard !current.isEmpty || wasQuoted else {
            throw SettingKeyError(key: text, reason: text.isEmpty ? "it is empty" : "it has an empty part")
        }
        segments.append(current)
        self.segments = segments
    }

    /// The key under this one named `segment`.
    public func appending(_ segment: String) -> SettingKey {
        SettingKey(segments: segments + [segment])
    }

    /// The dotted form, quoting the parts that need it.
    public var description: String {
        segments.map(Self.render).joined(separator: ".")
    }

    private static func render(_ segment: String) -> String {
        let plain = !segment.isEmpty && !segment.contains { $0 == "." || $0 == "\"" || $0 == "\\" || $0.isWhitespace }
        if plain { return segment }
        let escaped = segment.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}

/// A setting key that cannot be parsed.
public struct SettingKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key as given.
    public let key: String
    /// What is wrong with it.
    public let reason: String

    /// `invalid setting key 'a..b': it has an empty part`.
    public var description: String { "invalid setting key '\(key)': \(reason)" }
}
