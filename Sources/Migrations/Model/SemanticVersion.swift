/// A semantic version (`1.10.0`, `3.23.0-rc.1`), compared by semver precedence rules.
public struct SemanticVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The major version.
    public let major: Int
    /// The minor version.
    public let minor: Int
    /// The patch version.
    public let patch: Int
    /// Pre-release identifiers (`rc.1` → `["rc", "1"]`); empty for a release.
    public let prerelease: [String]

    /// Creates a version from its parts.
    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`; build metadata is ignored. Nil when malformed.
    public init?(_ text: String) {
        let withoutBuild = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = withoutBuild.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3,
            let values = Optional(numbers.compactMap { Self.numericIdentifier($0) }), values.count == 3
        else { return nil }
        var prerelease: [String] = []
        if parts.count == 2 {
            prerelease = parts[1].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !prerelease.isEmpty,
                prerelease.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } })
            else { return nil }
        }
        self.init(values[0], values[1], values[2], prerelease: prerelease)
    }

    /// `1.10.0`, or `1.10.0-rc.1`.
    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    /// Semver precedence: numbers first; a pre-release sorts before its release.
    public static func < (left: SemanticVersion, right: SemanticVersion) -> Bool {
        if (left.major, left.minor, left.patch) != (right.major, right.minor, right.patch) {
            return (left.major, left.minor, left.patch) < (right.major, right.minor, right.patch)
        }
        switch (left.prerelease.isEmpty, right.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (a, b) in zip(left.prerelease, right.prerelease) where a != b {
            switch (Int(a), Int(b)) {
            case (let x?, let y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return left.prerelease.count < right.prerelease.count
    }

    /// Reads a version string, rejecting malformed ones.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = SemanticVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid version '\(text)'"))
        }
        self = version
    }

    /// Writes the version string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func numericIdentifier(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), text == "0" || !text.hasPrefix("0") else {
            return nil
        }
        return Int(text)
    }
}
