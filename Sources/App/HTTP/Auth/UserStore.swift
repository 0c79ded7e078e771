import Crypto
import Foundation
import TandemDatabase
import TandemORM

/// Creates users and changes passwords in `core_user`, and issues bearer tokens.
///
/// ```swift
/// let users = UserStore(database: database)
/// try await users.create(name: "admin", password: secret, isAdmin: true)
/// ```
public struct UserStore: Sendable {
    /// The database holding `core_user`.
    public let database: Database
    /// The bcrypt cost of new hashes.
    public let cost: UInt8

    /// A store over `database`.
    public init(database: Database, cost: UInt8 = PasswordHashing.defaultCost) {
        self.database = database
        self.cost = cost
    }

    /// Checks a user name: not empty, at most 150 characters, no colon (HTTP Basic splits on the
    /// first one), no control characters.
    public static func check(name: String) throws(UserError) {
        guard !name.isEmpty, name.count <= 150, !name.contains(":"),
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .invalidName }
    }

    /// Checks a password: not empty, at most 72 bytes (bcrypt ignores the rest).
    public static func check(password: String) throws(UserError) {
        guard !password.isEmpty else { throw .emptyPassword }
        guard password.utf8.count <= PasswordHashing.maximumPasswordBytes else { throw .passwordTooLong }
    }

    /// Creates a user.
    /// - Throws: ``UserError`` (an invalid name or password, a name taken) or a database error.
    public func create(name: String, password: String, isAdmin: Bool) async throws {
        try Self.check(name: name)
        try Self.check(password: password)
        var user = StoredUser(
            username: name, passwordHash: try await PasswordHashing.hash(password, cost: cost), isAdmin: isAdmin)
        do {
            try await user.create(on: database)
        } catch let error as DatabaseError where error.isUniqueViolation {
            throw UserError.nameTaken(name)
        }
    }

    /// Sets a user's password; credentials the API remembered for the old one stop working.
    public func setPassword(name: String, password: String) async throws {
        try Self.check(password: password)
        let hash = try await PasswordHashing.hash(password, cost: cost)
        let changed = try await StoredUser.query(on: database).filter(Column("username") == name)
            .update(Column("password_hash").set(to: hash))
        if changed == 0 { throw UserError.noSuchUser(name) }
    }

    /// Issues a bearer token for a user and returns its text, which is stored only as a hash.
    public func issueToken(name: String) async throws -> String {
        guard let user = try await StoredUser.query(on: database).filter(Column("username") == name).first() else {
            throw UserError.noSuchUser(name)
        }
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        var stored = StoredToken(tokenHash: Self.tokenHash(token), userID: user.pulpID)
        try await stored.create(on: database)
        return token
    }

    /// The SHA-256 of a token, hex: what `core_usertoken` stores.
    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// A user could not be created or changed as asked.
public enum UserError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name is empty, too long, or holds a colon or a control character.
    case invalidName
    /// The password is empty.
    case emptyPassword
    /// The password is longer than bcrypt reads.
    case passwordTooLong
    /// Another user has this name.
    case nameTaken(String)
    /// No user has this name.
    case noSuchUser(String)

    /// What is wrong, naming the user (never the password).
    public var description: String {
        switch self {
        case .invalidName: "invalid user name: it must be 1 to 150 characters, without ':' or control characters"
        case .emptyPassword: "the password must not be empty"
        case .passwordTooLong:
            "the password is longer than \(PasswordHashing.maximumPasswordBytes) bytes, which bcrypt ignores"
        case .nameTaken(let name): "a user named '\(name)' already exists"
        case .noSuchUser(let name): "no user named '\(name)'"
        }
    }

    /// Whether the error is bad input (exit 2) rather than a run-time conflict (exit 1).
    public var isBadInput: Bool {
        switch self {
        case .invalidName, .emptyPassword, .passwordTooLong: true
        case .nameTaken, .noSuchUser: false
        }
    }
}
