import Crypto
import Foundation
import HTTPTypes
import Synchronization
import TandemHTTP

/// The bare server's Basic authentication: the user's row read on every request, as Tandem does,
/// and a verified name and password remembered under their HMAC, so bcrypt runs once per client.
/// Unlike Tandem's cache it never expires entries and keeps no failure counts.
final class BareCredentials: Sendable {
    private let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    private let verified = Mutex([Data: String]())

    /// The name and password of an `Authorization: Basic` header.
    static func basic(_ headers: HTTPFields) -> (name: String, password: String)? {
        guard let header = headers[.authorization], header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// Whether `password` is the password of the stored `hash`: remembered, or checked with bcrypt.
    func check(name: String, password: String, hash: String) async throws -> Bool {
        var message = Data(name.utf8)
        message.append(0)
        message.append(contentsOf: password.utf8)
        let digest = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        if verified.withLock({ $0[digest] }) == hash { return true }
        guard try await PasswordHashing.verify(password, hash: hash) else { return false }
        verified.withLock { $0[digest] = hash }
        return true
    }
}
