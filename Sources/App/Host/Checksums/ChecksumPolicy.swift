/// Which checksum algorithms content may use (`allowed_content_checksums`), and the only way
/// plugins get a ``ContentHasher``.
///
/// ```swift
/// let policy = try ChecksumPolicy(allowed: ["sha224", "sha256", "sha384", "sha512"])
/// let hasher = try policy.hasher("sha256")   // policy.hasher("md5") throws ChecksumError
/// ```
///
/// The lead's settings validator reports ``problems(in:)`` for the setting's value.
public struct ChecksumPolicy: Sendable, Hashable {
    /// The setting that holds the list.
    public static let settingKey = "allowed_content_checksums"
    /// The algorithm every policy must allow: Pulp stores every artifact's SHA-256.
    public static let requiredAlgorithm = ChecksumAlgorithm.sha256
    /// The setting's default: sha224, sha256, sha384, sha512.
    public static let defaultAllowed: [String] = ["sha224", "sha256", "sha384", "sha512"]
    /// The policy with the default list.
    public static let `default` = try! ChecksumPolicy(allowed: defaultAllowed)

    /// The allowed algorithms.
    public let allowed: Set<ChecksumAlgorithm>

    /// A policy from the setting's list of names.
    /// - Throws: ``ChecksumPolicyError`` with every problem ``problems(in:)`` finds.
    public init(allowed names: [String]) throws(ChecksumPolicyError) {
        let problems = Self.problems(in: names)
        guard problems.isEmpty else { throw ChecksumPolicyError(problems: problems) }
        allowed = Set(names.compactMap(ChecksumAlgorithm.init(rawValue:)))
    }

    /// What is wrong with a value of `allowed_content_checksums`, one sentence each; empty when
    /// it is valid. It must name only known algorithms (md5, sha1, sha224, sha256, sha384,
    /// sha512, spelled so) and contain sha256.
    public static func problems(in names: [String]) -> [String] {
        let known = ChecksumAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
        var problems: [String] = []
        var reported = Set<String>()
        for name in names where ChecksumAlgorithm(rawValue: name) == nil && reported.insert(name).inserted {
            problems.append("unknown checksum algorithm \"\(name)\" (known: \(known))")
        }
        if !names.contains(requiredAlgorithm.rawValue) {
            problems.append("must contain \(requiredAlgorithm)")
        }
        return problems
    }

    /// Whether content may use the named algorithm.
    public func allows(_ algorithm: ChecksumAlgorithm) -> Bool { allowed.contains(algorithm) }

    /// A hasher for an allowed algorithm, by name.
    /// - Throws: ``ChecksumError`` when the name is unknown or the policy forbids it.
    public func hasher(_ name: String) throws(ChecksumError) -> ContentHasher {
        guard let algorithm = ChecksumAlgorithm(rawValue: name) else { throw .unknown(name) }
        return try hasher(for: algorithm)
    }

    /// A hasher for an allowed algorithm.
    /// - Throws: ``ChecksumError/forbidden(_:allowed:)`` when the policy forbids it,
    ///   ``ChecksumError/unavailable(_:)`` when the system's libcrypto refuses it.
    public func hasher(for algorithm: ChecksumAlgorithm) throws(ChecksumError) -> ContentHasher {
        guard allows(algorithm) else { throw .forbidden(algorithm, allowed: allowed.sorted()) }
        guard let hasher = ContentHasher(algorithm: algorithm) else { throw .unavailable(algorithm) }
        return hasher
    }
}
