import TandemMigrations

/// The releases of another plugin that a plugin works with: at least ``minimum`` (inclusive),
/// below ``limit`` (exclusive), either side open.
///
/// ```swift
/// let requires: [String: VersionRange] = [
///     "core": .compatible(with: "1.2.0"),          // >=1.2.0, <2.0.0
///     "certguard": VersionRange("1.0.0"..<"1.5.0"),
///     "rpm": VersionRange("3.0.0"...),
/// ]
/// ```
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// The lowest release accepted, or nil for any.
    public let minimum: SemanticVersion?
    /// The first release no longer accepted, or nil for none.
    public let limit: SemanticVersion?

    /// Releases from `minimum` (inclusive) to `limit` (exclusive).
    public init(minimum: SemanticVersion?, limit: SemanticVersion?) {
        self.minimum = minimum
        self.limit = limit
    }

    /// The releases of a half-open range, `"1.0.0"..<"2.0.0"`.
    public init(_ range: Range<SemanticVersion>) {
        self.init(minimum: range.lowerBound, limit: range.upperBound)
    }

    /// Every release from a version on, `"1.0.0"...`.
    public init(_ range: PartialRangeFrom<SemanticVersion>) {
        self.init(minimum: range.lowerBound, limit: nil)
    }

    /// Any release.
    public static let any = VersionRange(minimum: nil, limit: nil)

    /// The releases that keep `version`'s API by semantic versioning: from it to the next major
    /// release (the next minor one while the major version is 0), as `~=` / `^` in package managers.
    public static func compatible(with version: SemanticVersion) -> VersionRange {
        let limit: SemanticVersion =
            version.major == 0 ? SemanticVersion(0, version.minor + 1, 0) : SemanticVersion(version.major + 1, 0, 0)
        return VersionRange(minimum: version, limit: limit)
    }

    /// Whether `version` is in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        if let minimum, version < minimum { return false }
        if let limit, version >= limit { return false }
        return true
    }

    /// `>=1.0.0, <2.0.0`, `>=1.0.0`, `<2.0.0` or `any`.
    public var description: String {
        let bounds = [minimum.map { ">=\($0)" }, limit.map { "<\($0)" }].compactMap { $0 }
        return bounds.isEmpty ? "any" : bounds.joined(separator: ", ")
    }
}
