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

extension LocalizableMessage {
    /// `Unsupported media type "{type}" in request.`
    public static func unsupportedMediaType(_ type: String) -> LocalizableMessage {
        LocalizableMessage(
            "api.unsupported_media_type", english: "Unsupported media type \"{type}\" in request.",
            arguments: ["type": type])
    }
    /// `JSON parse error - the body is not valid JSON.`
    public static let parseError = LocalizableMessage(
        "api.parse_error", english: "JSON parse error - the body is not valid JSON.")
    /// `Request body too large.`
    public static let bodyTooLarge = LocalizableMessage("api.body_too_large", english: "Request body too large.")
    /// `Invalid input: the database refused a value of the request.`: a number out of its
    /// column's range, a CHECK constraint; the value itself is never quoted.
    public static let refusedInput = LocalizableMessage(
        "api.refused_input", english: "Invalid input: the database refused a value of the request.")
    /// `A server error occurred.`: the cause is in the log only.
    public static let serverError = LocalizableMessage("api.server_error", english: "A server error occurred.")
    /// `The database is busy or unreachable; try again shortly.`: a lock held past the lock
    /// timeout (a migration's, another transaction's) or a lost connection.
    public static let databaseUnavailable = LocalizableMessage(
        "api.database_unavailable", english: "The database is busy or unreachable; try again shortly.")
    /// `Too many failed logins; try again later.`
    public static let throttled = LocalizableMessage(
        "api.throttled", english: "Too many failed logins; try again later.")
    /// `Invalid username/password.`
    public static let invalidCredentials = LocalizableMessage(
        "api.invalid_credentials", english: "Invalid username/password.")
    /// `Invalid token.`
    public static let invalidToken = LocalizableMessage("api.invalid_token", english: "Invalid token.")
}

extension LocalizableMessage {
    /// `A positive integer is required.`: a list's `limit`.
    public static let positiveInteger = LocalizableMessage(
        "api.positive_integer", english: "A positive integer is required.")
    /// `A non-negative integer is required.`: a list's `offset`.
    public static let nonNegativeInteger = LocalizableMessage(
        "api.non_negative_integer", english: "A non-negative integer is required.")
    /// `Select a valid choice. {value} is not one of the available choices.`: a list's `ordering`.
    public static func unknownOrdering(_ value: String) -> LocalizableMessage {
        LocalizableMessage(
            "api.unknown_ordering", english: "Select a valid choice. {value} is not one of the available choices.",
            arguments: ["value": value])
    }
}
