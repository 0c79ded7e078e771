import CLibCrypto
import Foundation

/// Computes one digest incrementally; get one from ``ChecksumPolicy/hasher(_:)``, which refuses
/// the algorithms the policy forbids.
///
/// ```swift
/// let hasher = try policy.hasher("sha256")
/// hasher.update(chunk1)
/// hasher.update(chunk2)
/// let digest = hasher.finalize()   // lower-case hex
/// ```
///
/// A hasher belongs to the task that uses it: it is not `Sendable`. Calling ``update(_:)`` after
/// ``finalize()`` is a programmer error.
public final class ContentHasher {
    /// The algorithm this hasher computes.
    public let algorithm: ChecksumAlgorithm
    private let context: OpaquePointer
    private var finished = false

    /// Starts a digest with OpenSSL's libcrypto (which, unlike swift-crypto, has SHA-224); nil
    /// when libcrypto refuses the algorithm (a FIPS-only configuration refuses md5).
    init?(algorithm: ChecksumAlgorithm) {
        guard let context = EVP_MD_CTX_new() else { return nil }
        guard EVP_DigestInit_ex(context, algorithm.evpDigest, nil) == 1 else {
            EVP_MD_CTX_free(context)
            return nil
        }
        self.algorithm = algorithm
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the digest.
    public func update(_ bytes: some DataProtocol) {
        precondition(!finished, "ContentHasher.update(_:) after finalize()")
        for region in bytes.regions {
            region.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
                guard EVP_DigestUpdate(context, base, buffer.count) == 1 else {
                    fatalError("libcrypto failed to update a \(algorithm) digest")
                }
            }
        }
    }

    /// Finishes the digest and returns it as lower-case hexadecimal, as Pulp stores checksums.
    public func finalize() -> String {
        precondition(!finished, "ContentHasher.finalize() called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else {
            fatalError("libcrypto failed to finish a \(algorithm) digest")
        }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}
