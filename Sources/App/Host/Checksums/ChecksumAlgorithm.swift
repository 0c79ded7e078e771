import CLibCrypto

/// A content checksum algorithm Tandem knows, named as in `allowed_content_checksums`.
public enum ChecksumAlgorithm: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// MD5: known for old repositories, not allowed by default.
    case md5
    /// SHA-1: known for old repositories, not allowed by default.
    case sha1
    /// SHA-224.
    case sha224
    /// SHA-256: every policy must allow it.
    case sha256
    /// SHA-384.
    case sha384
    /// SHA-512.
    case sha512

    /// The name as the setting spells it (`sha256`).
    public var description: String { rawValue }

    /// The length of a digest in bytes.
    public var digestLength: Int {
        switch self {
        case .md5: 16
        case .sha1: 20
        case .sha224: 28
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// Orders algorithms as declared, weakest first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// OpenSSL's implementation of the algorithm.
    var evpDigest: OpaquePointer? {
        switch self {
        case .md5: EVP_md5()
        case .sha1: EVP_sha1()
        case .sha224: EVP_sha224()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }
}
