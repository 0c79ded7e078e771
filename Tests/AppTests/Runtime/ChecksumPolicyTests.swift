import Foundation
import TandemApp
import Testing

/// No database is involved: the policy and the hashers are pure computation.
@Suite("Checksum policy and hashers")
struct ChecksumPolicyTests {
    /// Digests of "abc" and of "" for every algorithm (FIPS 180-4 and RFC 1321 test vectors).
    static let vectors: [(ChecksumAlgorithm, abc: String, empty: String)] = [
        (.md5, "900150983cd24fb0d6963f7d28e17f72", "d41d8cd98f00b204e9800998ecf8427e"),
        (.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (
            .sha224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f"
        ),
        (
            .sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ),
        (
            .sha384,
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
        ),
        (
            .sha512,
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
    ]

    @Test func everyAlgorithmMatchesItsKnownVectors() throws {
        let everything = try ChecksumPolicy(allowed: ChecksumAlgorithm.allCases.map(\.rawValue))
        for (algorithm, abc, empty) in Self.vectors {
            let hasher = try everything.hasher(for: algorithm)
            hasher.update(Data("abc".utf8))
            let digest = hasher.finalize()
            #expect(digest == abc, "\(algorithm)")
            #expect(digest.count == algorithm.digestLength * 2)
            let nothing = try everything.hasher(algorithm.rawValue)
            #expect(nothing.finalize() == empty, "\(algorithm)")
        }
        #expect(Self.vectors.map(\.0) == ChecksumAlgorithm.allCases)
    }

    @Test func updatesInPiecesGiveTheDigestOfTheWhole() throws {
        let bytes = Data((0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let whole = try ChecksumPolicy.default.hasher("sha512")
        whole.update(bytes)
        let pieces = try ChecksumPolicy.default.hasher("sha512")
        var start = 0
        for size in [0, 1, 4095, 65_536, 30_371] {
            pieces.update(bytes[start..<start + size])
            start += size
        }
        #expect(start == bytes.count)
        #expect(pieces.finalize() == whole.finalize())
        // A known long vector: SHA-256 of one million "a".
        let million = try ChecksumPolicy.default.hasher("sha256")
        million.update(Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(million.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func md5AndSha1AreRefusedByDefault() throws {
        #expect(ChecksumPolicy.default.allowed == [.sha224, .sha256, .sha384, .sha512])
        let md5 = #expect(throws: ChecksumError.self) { try ChecksumPolicy.default.hasher("md5") }
        #expect(md5 == .forbidden(.md5, allowed: [.sha224, .sha256, .sha384, .sha512]))
        #expect(
            md5?.description
                == "checksum algorithm md5 is forbidden by allowed_content_checksums (allowed: sha224, sha256, sha384, sha512)"
        )
        #expect(throws: ChecksumError.forbidden(.sha1, allowed: [.sha224, .sha256, .sha384, .sha512])) {
            try ChecksumPolicy.default.hasher(for: .sha1)
        }
    }

    @Test func md5IsGivenWhenConfigured() throws {
        let policy = try ChecksumPolicy(allowed: ["md5", "sha256"])
        let hasher = try policy.hasher("md5")
        hasher.update(Data("abc".utf8))
        #expect(hasher.finalize() == "900150983cd24fb0d6963f7d28e17f72")
        #expect(throws: ChecksumError.forbidden(.sha512, allowed: [.md5, .sha256])) { try policy.hasher("sha512") }
    }

    @Test func unknownNamesAreRefused() {
        #expect(throws: ChecksumError.unknown("SHA256")) { try ChecksumPolicy.default.hasher("SHA256") }
        #expect(throws: ChecksumError.unknown("")) { try ChecksumPolicy.default.hasher("") }
    }

    @Test func theSettingsValidatorReportsEveryProblem() {
        #expect(ChecksumPolicy.problems(in: ChecksumPolicy.defaultAllowed).isEmpty)
        #expect(ChecksumPolicy.problems(in: ["sha256"]).isEmpty)
        #expect(ChecksumPolicy.problems(in: []) == ["must contain sha256"])
        let known = "md5, sha1, sha224, sha256, sha384, sha512"
        #expect(
            ChecksumPolicy.problems(in: ["md5", "crc32", "SHA256", "crc32"]) == [
                "unknown checksum algorithm \"crc32\" (known: \(known))",
                "unknown checksum algorithm \"SHA256\" (known: \(known))",
                "must contain sha256",
            ])
        let error = #expect(throws: ChecksumPolicyError.self) { try ChecksumPolicy(allowed: ["sha512"]) }
        #expect(error?.description == "allowed_content_checksums: must contain sha256")
    }
}
