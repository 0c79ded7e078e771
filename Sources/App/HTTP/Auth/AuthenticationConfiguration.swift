/// How the API authenticates: how long a verified credential is remembered, and how failed
/// logins are limited.
public struct AuthenticationConfiguration: Sendable {
    /// How long a verified Basic credential is remembered, so a client costs one bcrypt check per
    /// interval instead of one per request. Zero checks every request.
    public var credentialTTL: Duration
    /// Failed logins allowed per user name and source address within ``failureWindow``; the next
    /// attempt gets 429 without its password being checked.
    public var maximumFailures: Int
    /// The window failed logins are counted in.
    public var failureWindow: Duration
    /// The most credentials and failure counters kept in memory; the oldest go first.
    public var maximumEntries: Int

    /// Defaults: credentials remembered 60 s; 5 failures per minute.
    public init(
        credentialTTL: Duration = .seconds(60), maximumFailures: Int = 5, failureWindow: Duration = .seconds(60),
        maximumEntries: Int = 10_000
    ) {
        self.credentialTTL = credentialTTL
        self.maximumFailures = maximumFailures
        self.failureWindow = failureWindow
        self.maximumEntries = maximumEntries
    }
}
