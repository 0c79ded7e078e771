import Foundation
import HTTPTypes
import HummingbirdAuth
import Synchronization
import TandemApp
import TandemDatabase
import TandemORM

/// Checks HTTP Basic credentials and bearer tokens against `core_user` and `core_usertoken`,
/// remembering verified Basic credentials for a while and limiting failed logins.
final class Authenticator: Sendable {
    private let database: Database
    private let cache: CredentialCache
    private let limiter: LoginRateLimiter
    /// A hash of a random password nobody knows, checked when the user does not exist so that an
    /// unknown name costs as long as a wrong password; made on first need.
    private let decoy = Mutex<String?>(nil)

    init(database: Database, configuration: AuthenticationConfiguration) {
        self.database = database
        self.cache = CredentialCache(ttl: configuration.credentialTTL, capacity: configuration.maximumEntries)
        self.limiter = LoginRateLimiter(
            limit: configuration.maximumFailures, window: configuration.failureWindow,
            capacity: configuration.maximumEntries)
    }

    /// The user the request's `Authorization` header names.
    /// - Throws: ``APIError`` 401 without or with wrong credentials, 429 after too many failures.
    func authenticate(_ headers: HTTPFields, address: String?) async throws -> APIUser {
        let address = address ?? "-"
        if let basic = headers.basic {
            return try await authenticate(name: basic.username, password: basic.password, address: address)
        }
        if let bearer = headers.bearer {
            return try await authenticate(token: bearer.token, address: address)
        }
        throw Self.unauthenticated(.notAuthenticated)
    }

    private func authenticate(name: String, password: String, address: String) async throws -> APIUser {
        try refuseIfLimited(name: name, address: address)
        // No user name holds a NUL (PostgreSQL cannot store one): such a name is unknown on both
        // engines alike, without asking a database that would refuse it.
        let user =
            name.utf8.contains(0)
            ? nil : try await StoredUser.query(on: database).filter(Column("username") == name).first()
        if let user, cache.contains(name: name, password: password, passwordHash: user.passwordHash) {
            return APIUser(name: user.username, isAdmin: user.isAdmin)
        }
        let hash: String
        if let user {
            hash = user.passwordHash
        } else {
            hash = try await decoyHash()
        }
        let verified = try await PasswordHashing.verify(password, hash: hash)
        guard verified, let user else {
            limiter.recordFailure(name: name, address: address)
            throw Self.unauthenticated(.invalidCredentials)
        }
        limiter.reset(name: name, address: address)
        cache.insert(name: name, password: password, passwordHash: user.passwordHash)
        return APIUser(name: user.username, isAdmin: user.isAdmin)
    }

    private func decoyHash() async throws -> String {
        if let made = decoy.withLock({ $0 }) { return made }
        let made = try await PasswordHashing.hash(UUID().uuidString)
        return decoy.withLock { existing in
            if existing == nil { existing = made }
            return existing!
        }
    }

    private func authenticate(token: String, address: String) async throws -> APIUser {
        // Tokens have no user name: their failures count under the address alone.
        try refuseIfLimited(name: "", address: address)
        let hash = UserStore.tokenHash(token)
        guard let stored = try await StoredToken.query(on: database).filter(Column("token_hash") == hash).first(),
            let user = try await StoredUser.query(on: database).filter(Column("pulp_id") == stored.userID).first()
        else {
            limiter.recordFailure(name: "", address: address)
            throw Self.unauthenticated(.invalidToken)
        }
        return APIUser(name: user.username, isAdmin: user.isAdmin)
    }

    private func refuseIfLimited(name: String, address: String) throws {
        guard let wait = limiter.retryAfter(name: name, address: address) else { return }
        var headers = HTTPFields()
        headers[.retryAfter] = String(max(1, Int(wait.components.seconds) + 1))
        throw APIError(.tooManyRequests, message: .throttled, headers: headers)
    }

    static func unauthenticated(_ detail: LocalizableMessage) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Basic realm=\"api\""
        return APIError(.unauthorized, message: detail, headers: headers)
    }
}
