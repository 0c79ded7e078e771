import Foundation
import TandemApp

/// The digests of one file, fed in pieces, computed only with hashers the host's
/// ``TandemApp/ChecksumPolicy`` gives.
struct FileDigests {
    private let hashers: [ContentHasher]

    /// Starts digesting with each of `algorithms`.
    /// - Throws: ``TandemApp/ChecksumError`` for an algorithm the policy forbids.
    init(_ algorithms: [ChecksumAlgorithm], policy: ChecksumPolicy) throws(ChecksumError) {
        var hashers: [ContentHasher] = []
        for algorithm in algorithms { hashers.append(try policy.hasher(for: algorithm)) }
        self.hashers = hashers
    }

    /// Adds the next bytes.
    func update(_ bytes: Data) {
        for hasher in hashers { hasher.update(bytes) }
    }

    /// The lower-case hexadecimal digest per algorithm name.
    func finish() -> [String: String] {
        Dictionary(uniqueKeysWithValues: hashers.map { ($0.algorithm.rawValue, $0.finalize()) })
    }
}
