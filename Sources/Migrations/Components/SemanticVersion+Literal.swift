extension SemanticVersion: ExpressibleByStringLiteral {
    /// A version written in code, `"3.1.0"`: a malformed literal is a programmer mistake.
    public init(stringLiteral text: String) {
        guard let version = SemanticVersion(text) else { preconditionFailure("invalid semantic version '\(text)'") }
        self = version
    }
}
