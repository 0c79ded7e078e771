/// A plugin asked for a hasher the policy does not give.
public enum ChecksumError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No algorithm has this name.
    case unknown(String)
    /// `allowed_content_checksums` does not list the algorithm.
    case forbidden(ChecksumAlgorithm, allowed: [ChecksumAlgorithm])
    /// The system's libcrypto refuses the algorithm (a FIPS-only OpenSSL refuses md5).
    case unavailable(ChecksumAlgorithm)

    /// The message, naming the setting to change.
    public var description: String {
        switch self {
        case .unknown(let name):
            let known = ChecksumAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown checksum algorithm \"\(name)\" (known: \(known))"
        case .forbidden(let algorithm, let allowed):
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            return "checksum algorithm \(algorithm) is forbidden by \(ChecksumPolicy.settingKey) (allowed: \(list))"
        case .unavailable(let algorithm):
            return
                "checksum algorithm \(algorithm) is not available from this system's OpenSSL libcrypto; remove it from \(ChecksumPolicy.settingKey)"
        }
    }
}

/// A value of `allowed_content_checksums` is invalid.
public struct ChecksumPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every problem, as ``ChecksumPolicy/problems(in:)`` words them.
    public let problems: [String]

    /// `allowed_content_checksums: must contain sha256`.
    public var description: String {
        problems.map { "\(ChecksumPolicy.settingKey): \($0)" }.joined(separator: "\n")
    }
}
