import Foundation

/// Where a database lives, parsed from one of the URL forms of DESIGN.md:
/// `postgres://user:pass@host:port/db` (also `postgresql://`, and `?host=/socket/dir`),
/// `sqlite:relative/path`, `sqlite:///absolute/path` and `sqlite::memory:`.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable that names the database when no flag does.
    public static let environmentVariable = "TANDEM_DATABASE_URL"
    /// The embedded default: a SQLite file in the working directory.
    public static let embeddedDefault = "sqlite:tandem.sqlite3"

    /// The parsed location.
    public enum Location: Sendable, Hashable {
        /// A PostgreSQL server; `parameters` are libpq connection keywords.
        case postgres(parameters: [String: String])
        /// A SQLite file at this path (relative paths are relative to the working directory).
        case sqliteFile(path: String)
        /// A private in-memory SQLite database.
        case sqliteMemory
    }

    /// The text this URL was parsed from.
    public let string: String
    /// The parsed location.
    public let location: Location

    /// The dialect this URL selects.
    public var dialect: Dialect {
        if case .postgres = location { return .postgres }
        return .sqlite
    }

    /// Parses a URL, throwing a ``DatabaseURLError`` that says what is wrong.
    public init(_ string: String) throws(DatabaseURLError) {
        self.string = string
        if string.hasPrefix("sqlite:") {
            location = try Self.parseSQLite(String(string.dropFirst("sqlite:".count)), url: string)
        } else if string.hasPrefix("postgres://") || string.hasPrefix("postgresql://") {
            location = .postgres(parameters: try Self.parsePostgres(string))
        } else {
            let scheme = string.firstIndex(of: ":").map { String(string[..<$0]) } ?? ""
            if scheme.isEmpty {
                throw DatabaseURLError(url: string, reason: "not a URL; expected postgres://…, sqlite:path or sqlite::memory:")
            }
            throw DatabaseURLError(url: string, reason: "unsupported database '\(scheme)'; Tandem speaks postgres:// and sqlite:")
        }
    }

    /// Chooses the URL: the flag, else `TANDEM_DATABASE_URL`, else the embedded default.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DatabaseURLError) -> DatabaseURL
    {
        if let flag { return try DatabaseURL(flag) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try DatabaseURL(fromEnvironment)
        }
        return try DatabaseURL(embeddedDefault)
    }

    /// The URL with any password replaced by `***`, safe for logs and messages.
    ///
    /// Both places a password can be given are hidden, however it is percent-encoded: the
    /// user-info part (`postgres://user:***@host`) and a `password` query parameter.
    public var description: String {
        guard case .postgres = location else { return string }
        return Self.redactingPasswords(in: string)
    }

    /// `url` with its passwords replaced by `***`; works on malformed URLs too.
    static func redactingPasswords(in url: String) -> String {
        redactingQueryPassword(redactingUserInfoPassword(url))
    }

    private static func redactingUserInfoPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[schemeEnd.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":"),
            authority.index(after: colon) < at
        else { return url }
        return url.replacingCharacters(in: authority.index(after: colon)..<at, with: "***")
    }

    private static func redactingQueryPassword(_ url: String) -> String {
        guard let queryStart = url.firstIndex(of: "?") else { return url }
        let queryEnd = url[queryStart...].firstIndex(of: "#") ?? url.endIndex
        let items = url[url.index(after: queryStart)..<queryEnd].split(separator: "&", omittingEmptySubsequences: false)
        let redacted = items.map { item -> String in
            let name = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return (name.removingPercentEncoding ?? name) == "password" ? "\(name)=***" : String(item)
        }
        return url.replacingCharacters(
            in: url.index(after: queryStart)..<queryEnd, with: redacted.joined(separator: "&"))
    }

    private static func parseSQLite(_ rest: String, url: String) throws(DatabaseURLError) -> Location {
        if rest == ":memory:" { return .sqliteMemory }
        let path: String
        if rest.hasPrefix("///") {
            path = String(rest.dropFirst(2))
        } else if rest.hasPrefix("//") {
            throw DatabaseURLError(url: url, reason: "sqlite URLs take no host; use sqlite:relative/path or sqlite:///absolute/path")
        } else {
            path = rest
        }
        guard !path.isEmpty, path != "/" else {
            throw DatabaseURLError(url: url, reason: "no file path; use sqlite:relative/path, sqlite:///absolute/path or sqlite::memory:")
        }
        guard let decoded = path.removingPercentEncoding else {
            throw DatabaseURLError(url: url, reason: "invalid percent-encoding in the path")
        }
        return .sqliteFile(path: decoded)
    }

    private static func parsePostgres(_ string: String) throws(DatabaseURLError) -> [String: String] {
        guard let components = URLComponents(string: string) else {
            throw DatabaseURLError(url: string, reason: "malformed PostgreSQL URL (check the port and any characters that need percent-encoding)")
        }
        var parameters: [String: String] = [:]
        if var host = components.host, !host.isEmpty {
            // libpq takes an IPv6 address bare, without the URL's brackets.
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            parameters["host"] = host
        }
        if let port = components.port {
            guard (1...65535).contains(port) else { throw DatabaseURLError(url: string, reason: "port \(port) is out of range") }
            parameters["port"] = String(port)
        }
        if let user = components.user, !user.isEmpty { parameters["user"] = user }
        if let password = components.password { parameters["password"] = password }
        let path = components.path
        if path.count > 1 {
            let name = String(path.dropFirst())
            guard !name.contains("/") else { throw DatabaseURLError(url: string, reason: "the database name '\(name)' contains '/'") }
            parameters["dbname"] = name
        }
        for item in components.queryItems ?? [] {
            guard let value = item.value else {
                throw DatabaseURLError(url: string, reason: "query parameter '\(item.name)' has no value")
            }
            guard libpqKeywords.contains(item.name) else {
                throw DatabaseURLError(url: string, reason: "unknown connection parameter '\(item.name)'")
            }
            parameters[item.name] = value
        }
        return parameters
    }

    /// Connection keywords libpq accepts in a URL's query string.
    private static let libpqKeywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "sslmode",
        "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword", "requiressl", "gssencmode",
        "krbsrvname", "target_session_attrs", "channel_binding",
    ]
}

/// A database URL that cannot be used: malformed, or naming a database Tandem does not support.
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL as given, passwords included; ``description`` hides them.
    public let url: String
    /// What is wrong with it.
    public let reason: String

    /// Creates the error.
    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    /// `invalid database URL '…': reason`, with any password in the URL shown as `***`: the URL
    /// may come from an environment variable and the message end up in a CI log.
    public var description: String { "invalid database URL '\(DatabaseURL.redactingPasswords(in: url))': \(reason)" }
}
