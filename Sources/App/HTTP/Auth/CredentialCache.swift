import Crypto
import Foundation
import Synchronization

/// Verified Basic credentials, remembered for a short time under a keyed hash of name and
/// password (HMAC-SHA256 with a key made at start and never stored), so the cache never holds a
/// password or a hash an attacker could test guesses against. An entry also keeps the password
/// hash it was verified against: once the stored hash changes (a new password), it no longer
/// matches and is dropped.
final class CredentialCache: Sendable {
    private struct Entry {
        let passwordHash: String
        let expires: ContinuousClock.Instant
    }

    /// The HMAC key's bytes (SymmetricKey itself is not Sendable).
    private let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let ttl: Duration
    private let capacity: Int
    private let entries = Mutex([Data: Entry]())

    init(ttl: Duration, capacity: Int) {
        self.ttl = ttl
        self.capacity = capacity
    }

    private func digest(name: String, password: String) -> Data {
        var message = Data(name.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Whether this name and password were verified against `passwordHash` within the TTL.
    func contains(name: String, password: String, passwordHash: String) -> Bool {
        guard ttl > .zero else { return false }
        let digest = digest(name: name, password: password)
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[digest] else { return false }
            guard entry.expires > now, entry.passwordHash == passwordHash else {
                entries[digest] = nil
                return false
            }
            return true
        }
    }

    /// Remembers a verified credential.
    func insert(name: String, password: String, passwordHash: String) {
        guard ttl > .zero else { return }
        let digest = digest(name: name, password: password)
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[digest] = Entry(passwordHash: passwordHash, expires: now + ttl)
        }
    }
}
