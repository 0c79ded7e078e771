import Crypto
import Foundation

/// Computes the digests of temporary files. The host's checksum policy will provide the one the
/// application uses (its allowed algorithms); until then callers inject one, and
/// ``StandardHasher`` covers SHA-256/384/512.
public protocol TemporaryFileHasher: Sendable {
    /// The algorithms computed for every file, by name (`sha256`).
    var algorithms: [String] { get }
    /// Starts digesting one file.
    func start() -> any DigestAccumulator
}

/// Digests of one file, fed in pieces.
public protocol DigestAccumulator {
    /// Adds the next bytes.
    mutating func update(_ bytes: Data)
    /// The hexadecimal digest per algorithm.
    func finish() -> [String: String]
}

/// SHA-256, SHA-384 and SHA-512 through swift-crypto.
public struct StandardHasher: TemporaryFileHasher {
    /// The algorithms this hasher knows.
    public static let supported = ["sha256", "sha384", "sha512"]

    /// The algorithms computed.
    public let algorithms: [String]

    /// A hasher computing `algorithms`.
    ///
    /// - Throws: ``TemporaryFileError`` naming an algorithm it does not know.
    public init(algorithms: [String] = ["sha256"]) throws {
        for algorithm in algorithms where !Self.supported.contains(algorithm) {
            throw TemporaryFileError(message: "checksum algorithm '\(algorithm)' is not allowed")
        }
        self.algorithms = algorithms
    }

    /// Starts digesting one file.
    public func start() -> any DigestAccumulator { Accumulator(algorithms: algorithms) }

    private struct Accumulator: DigestAccumulator {
        var sha256: SHA256?
        var sha384: SHA384?
        var sha512: SHA512?

        init(algorithms: [String]) {
            sha256 = algorithms.contains("sha256") ? SHA256() : nil
            sha384 = algorithms.contains("sha384") ? SHA384() : nil
            sha512 = algorithms.contains("sha512") ? SHA512() : nil
        }

        mutating func update(_ bytes: Data) {
            sha256?.update(data: bytes)
            sha384?.update(data: bytes)
            sha512?.update(data: bytes)
        }

        func finish() -> [String: String] {
            var digests: [String: String] = [:]
            if let sha256 { digests["sha256"] = Self.hex(sha256.finalize()) }
            if let sha384 { digests["sha384"] = Self.hex(sha384.finalize()) }
            if let sha512 { digests["sha512"] = Self.hex(sha512.finalize()) }
            return digests
        }

        private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
            digest.map { String(format: "%02x", $0) }.joined()
        }
    }
}
