/// A user the API authenticated.
public struct APIUser: Sendable, Hashable {
    /// The user's name.
    public let name: String
    /// Whether the user may write (until role-based access control lands, writes need an admin).
    public let isAdmin: Bool

    /// A user.
    public init(name: String, isAdmin: Bool) {
        self.name = name
        self.isAdmin = isAdmin
    }
}
