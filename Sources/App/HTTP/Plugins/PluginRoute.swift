import Foundation
import TandemDatabase
import TandemORM

/// A route a plugin serves outside `api/v3/`, relative to `api_root`: `file/health/` is served
/// at `/pulp/file/health/`. Its handler sees a ``PluginRequest`` and answers a
/// ``PluginResponse``; neither exposes the HTTP server, so a plugin needs no server library.
///
/// Path segments starting with `:` are parameters (`file/repositories/:name/manifest/`), read
/// with ``PluginRequest/parameters``. `tandem proxy-config` forwards each route's
/// ``proxyPrefix`` to the API.
public struct PluginRoute: Sendable {
    /// What answers a request.
    public typealias Handler = @Sendable (PluginRequest) async throws -> PluginResponse

    /// The path relative to `api_root`, without a leading `/`: `file/health/`.
    public let path: String
    /// The HTTP method, upper-case: `GET`.
    public let method: String
    /// Whether a user must be authenticated (as for the REST API); false serves everyone, like
    /// the status endpoint.
    public let requiresAuthentication: Bool
    /// What the route is for, for the operators who read `tandem proxy-config`'s output.
    public let summary: String
    /// Answers requests.
    public let handler: Handler

    /// A route at `path` (relative to `api_root`).
    public init(
        _ path: String, method: String = "GET", requiresAuthentication: Bool = true, summary: String = "",
        handler: @escaping Handler
    ) {
        let trimmed = path.drop { $0 == "/" }
        precondition(!trimmed.isEmpty, "a plugin route needs a path")
        precondition(!trimmed.hasPrefix("api/"), "plugin routes live outside api/: \(path)")
        self.path = String(trimmed)
        self.method = method.uppercased()
        self.requiresAuthentication = requiresAuthentication
        self.summary = summary
        self.handler = handler
    }

    /// The fixed part of the path, up to its first parameter, ending with `/`: what a reverse
    /// proxy forwards (`file/health/`, or `file/repositories/` for a parameterised route).
    public var proxyPrefix: String {
        let fixed = path.split(separator: "/", omittingEmptySubsequences: false).prefix { !$0.hasPrefix(":") }
        let joined = fixed.joined(separator: "/")
        return joined.hasSuffix("/") || joined.isEmpty ? joined : joined + "/"
    }
}

/// A request to a ``PluginRoute``.
public struct PluginRequest: Sendable {
    /// The database the API serves.
    public let database: Database
    /// The path's parameters by name (`name` for `:name`).
    public let parameters: [String: String]
    /// The raw query string, if any.
    public let query: String?
    /// The language the client asked for (`Accept-Language`), among the API's catalogues.
    public let language: String

    /// A request; the API builds these.
    public init(database: Database, parameters: [String: String], query: String?, language: String) {
        self.database = database
        self.parameters = parameters
        self.query = query
        self.language = language
    }
}

/// A plugin route's answer: a status, a media type and a body.
public struct PluginResponse: Sendable {
    /// The HTTP status code.
    public let status: Int
    /// The `Content-Type`.
    public let contentType: String
    /// The body.
    public let body: Data

    /// An answer with any body.
    public init(status: Int = 200, contentType: String, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A plain-text answer (`text/plain; charset=utf-8`).
    public static func text(_ text: String, status: Int = 200) -> PluginResponse {
        PluginResponse(status: status, contentType: "text/plain; charset=utf-8", body: Data(text.utf8))
    }

    /// A JSON answer (`application/json`, like the rest of the API).
    public static func json(_ object: [String: JSONValue], status: Int = 200) -> PluginResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A JSONValue always encodes: it is built from JSON and database values only.
        let data = (try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8)
        return PluginResponse(status: status, contentType: "application/json", body: data)
    }
}
