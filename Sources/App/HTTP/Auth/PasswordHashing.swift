import HummingbirdBcrypt
import NIOPosix

/// bcrypt, from hummingbird-auth, run on NIO's blocking thread pool: one hash takes a quarter
/// of a second at cost 12, which must never stall the cooperative pool.
public enum PasswordHashing {
    /// The cost new hashes use: 2^12 rounds.
    public static let defaultCost: UInt8 = 12

    /// The longest password bcrypt reads in full; it ignores bytes past 72.
    public static let maximumPasswordBytes = 72

    /// Hashes a password with a fresh salt.
    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
