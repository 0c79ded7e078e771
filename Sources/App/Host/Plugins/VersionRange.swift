import TandemMigrations

/// The releases of another plugin that a plugin works with: from ``minimum`` (inclusive) up to
/// ``upperBound``, either side open.
///
/// The reference's policy: declare an upper bound, ideally the latest release tested against
/// (`>=2.3, <=4.4.2`), and as low a lower bound as is true.
///
/// ```swift
/// let requires: [String: VersionRange] = [
///     "core": .compatible(with: "1.2.0"),            // >=1.2.0, <2.0.0
///     "certguard": VersionRange("1.0.0"..."1.4.2"),  // >=1.0.0, <=1.4.2
///     "rpm": VersionRange("3.0.0"..<"4.0.0"),        // >=3.0.0, <4.0.0
///     "ansible": VersionRange(..."0.21.0"),          // <=0.21.0
/// ]
/// ```
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// The highest release a range accepts.
    public enum UpperBound: Sendable, Hashable {
        /// This release and the ones before it.
        case through(SemanticVersion)
        /// The releases before this one.
        case below(SemanticVersion)
    }

    /// The lowest release accepted, or nil for any.
    public let minimum: SemanticVersion?
    /// The highest release accepted, or nil for none.
    public let upperBound: UpperBound?

    /// Releases from `minimum` (inclusive) up to `upperBound`.
    public init(minimum: SemanticVersion?, upperBound: UpperBound?) {
        self.minimum = minimum
        self.upperBound = upperBound
    }

    /// Releases from the lower bound to the upper one, both included: `"1.0.0"..."1.4.2"`.
    public init(_ range: ClosedRange<SemanticVersion>) {
        self.init(minimum: range.lowerBound, upperBound: .through(range.upperBound))
    }

    /// Releases from the lower bound to just below the upper one: `"1.0.0"..<"2.0.0"`.
    public init(_ range: Range<SemanticVersion>) {
        self.init(minimum: range.lowerBound, upperBound: .below(range.upperBound))
    }

    /// Every release from a version on, `"1.0.0"...` (no upper bound: discouraged).
    public init(_ range: PartialRangeFrom<SemanticVersion>) {
        self.init(minimum: range.lowerBound, upperBound: nil)
    }

    /// Every release up to a version, included, `..."4.4.2"`: when the lower bound is unknown.
    public init(_ range: PartialRangeThrough<SemanticVersion>) {
        self.init(minimum: nil, upperBound: .through(range.upperBound))
    }

    /// Any release.
    public static let any = VersionRange(minimum: nil, upperBound: nil)

    /// The releases that keep `version`'s API by semantic versioning: from it to the next major
    /// release (the next minor one while the major version is 0), as SwiftPM's `from:` does.
    public static func compatible(with version: SemanticVersion) -> VersionRange {
        let limit: SemanticVersion =
            version.major == 0 ? SemanticVersion(0, version.minor + 1, 0) : SemanticVersion(version.major + 1, 0, 0)
        return VersionRange(version..<limit)
    }

    /// Whether `version` is in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        if let minimum, version < minimum { return false }
        switch upperBound {
        case .through(let maximum): return version <= maximum
        case .below(let limit): return version < limit
        case nil: return true
        }
    }

    /// `>=1.0.0, <2.0.0`, `>=1.0.0, <=1.4.2`, `>=1.0.0`, `<=4.4.2` or `any`.
    public var description: String {
        let upper: String? =
            switch upperBound {
            case .through(let maximum): "<=\(maximum)"
            case .below(let limit): "<\(limit)"
            case nil: nil
            }
        let bounds = [minimum.map { ">=\($0)" }, upper].compactMap { $0 }
        return bounds.isEmpty ? "any" : bounds.joined(separator: ", ")
    }
}
