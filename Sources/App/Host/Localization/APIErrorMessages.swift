import TandemORM

extension LocalizableMessage {
    /// `Not found.`: no object at the requested address.
    public static let notFound = LocalizableMessage("api.not_found", english: "Not found.")
    /// `Method "{method}" not allowed.`
    public static func methodNotAllowed(_ method: String) -> LocalizableMessage {
        LocalizableMessage(
            "api.method_not_allowed", english: "Method \"{method}\" not allowed.", arguments: ["method": method])
    }
    /// `Authentication credentials were not provided.`
    public static let notAuthenticated = LocalizableMessage(
        "api.not_authenticated", english: "Authentication credentials were not provided.")
    /// `You do not have permission to perform this action.`
    public static let permissionDenied = LocalizableMessage(
        "api.permission_denied", english: "You do not have permission to perform this action.")
    /// `Checksum algorithm {algorithm} is not allowed on this server.`: content asked for an
    /// algorithm `allowed_content_checksums` forbids.
    public static func checksumForbidden(_ algorithm: String) -> LocalizableMessage {
        LocalizableMessage(
            "api.checksum_forbidden", english: "Checksum algorithm {algorithm} is not allowed on this server.",
            arguments: ["algorithm": algorithm])
    }
}
