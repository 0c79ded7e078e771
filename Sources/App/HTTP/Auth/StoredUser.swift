import Foundation
import TandemORM

/// A row of `core_user` (core plugin migration core/0004_users): a user of the API.
public struct StoredUser: Model, Equatable {
    /// `core_user`.
    public static let tableName = "core_user"
    /// The key.
    public var pulpID = UUID()
    /// When the user was created.
    public var pulpCreated = Date()
    /// The login name.
    public var username: String
    /// The bcrypt hash of the password (salt and cost included).
    public var passwordHash: String
    /// Whether the user may write.
    public var isAdmin: Bool

    /// The coding keys are the columns.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpCreated = "pulp_created", username, passwordHash = "password_hash"
        case isAdmin = "is_admin"
    }

    /// A new user.
    public init(username: String, passwordHash: String, isAdmin: Bool) {
        self.username = username
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
    }
}

/// A row of `core_usertoken`: a bearer token, by the SHA-256 of its text.
struct StoredToken: Model {
    static let tableName = "core_usertoken"
    static let primaryKey = "token_hash"
    var tokenHash: String
    var userID: UUID
    var pulpCreated = Date()

    enum CodingKeys: String, CodingKey {
        case tokenHash = "token_hash", userID = "user_id", pulpCreated = "pulp_created"
    }
}
