/// Reverse-proxy configuration for a Tandem deployment: where nginx or Apache forwards the API
/// root, the content root and every plugin route (the reference's "Configuring Reverse Proxy with
/// Custom URLs"). The upstreams are named `pulp-api` and `pulp-content`, as pulpcore's
/// webserver snippets name them; the operator defines them.
///
/// ```swift
/// let snippets = try ProxySnippets(apiRoot: "/pulp/", contentRoot: "/pulp/content/", routes: api.routes)
/// print(snippets.render(.nginx))
/// ```
public struct ProxySnippets: Sendable, Equatable {
    /// The reverse proxies Tandem writes configuration for.
    public enum Server: String, Sendable, CaseIterable {
        /// nginx: `location` blocks to include inside a `server` block.
        case nginx
        /// Apache httpd: `ProxyPass` lines, with `pulp-api` and `pulp-content` defined as variables.
        case apache
    }

    /// One forwarded path prefix.
    public struct Location: Sendable, Equatable {
        /// The absolute path prefix, with leading and trailing `/`.
        public let path: String
        /// The upstream: `pulp-api` or `pulp-content`.
        public let upstream: String
        /// What is served there.
        public let summary: String
    }

    /// The API upstream's name.
    public static let apiUpstream = "pulp-api"
    /// The content upstream's name.
    public static let contentUpstream = "pulp-content"

    /// The forwarded prefixes, each once, in the order they were found: the API, the content
    /// root, then the plugin routes.
    public let locations: [Location]

    /// The snippets for an API under `apiRoot`, content under `contentRoot` and the plugins'
    /// `routes` (relative to `apiRoot`).
    /// - Throws: ``ProxySnippetError`` naming a path with characters a proxy configuration cannot
    ///   carry unquoted (only letters, digits and `-._~/` are written).
    public init(apiRoot: String, contentRoot: String, routes: [PluginRoute]) throws(ProxySnippetError) {
        var locations: [Location] = []
        func add(_ path: String, _ upstream: String, _ summary: String) throws(ProxySnippetError) {
            guard path.hasPrefix("/"), path.hasSuffix("/"), path.allSatisfy(Self.isPlain), !path.contains("//")
            else { throw ProxySnippetError(path: path) }
            guard !locations.contains(where: { $0.path == path }) else { return }
            // A summary becomes a comment line: it never spans lines.
            let comment = summary.split(whereSeparator: \.isNewline).joined(separator: " ")
            locations.append(Location(path: path, upstream: upstream, summary: comment))
        }
        try add(apiRoot + "api/v3/", Self.apiUpstream, "the REST API")
        try add(contentRoot, Self.contentUpstream, "the content app")
        for route in routes {
            try add(apiRoot + route.proxyPrefix, Self.apiUpstream, route.summary.isEmpty ? route.path : route.summary)
        }
        self.locations = locations
    }

    private static func isPlain(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-._~/".contains(character))
    }

    /// The configuration text for `server`.
    public func render(_ server: Server) -> String {
        switch server {
        case .nginx: nginx
        case .apache: apache
        }
    }

    private var nginx: String {
        var text = """
            # Written by `tandem proxy-config nginx`. Include it inside a `server` block; define the
            # upstreams `\(Self.apiUpstream)` (tandem serve) and `\(Self.contentUpstream)` (the content app).

            """
        for location in locations {
            text += """

                # \(location.summary)
                location \(location.path) {
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header Host $http_host;
                    # The Host header is set above: no clever redirects.
                    proxy_redirect off;
                    proxy_pass http://\(location.upstream);
                }

                """
        }
        return text
    }

    private var apache: String {
        var text = """
            # Written by `tandem proxy-config apache`. Define the variables `\(Self.apiUpstream)` and
            # `\(Self.contentUpstream)` (host:port of tandem serve and of the content app) before it.

            """
        // Apache takes the first ProxyPass that matches: longer paths first.
        for location in locations.sorted(by: { $0.path.count > $1.path.count }) {
            let path = String(location.path.dropLast())
            text += """

                # \(location.summary)
                ProxyPass \(path) http://${\(location.upstream)}\(path)
                ProxyPassReverse \(path) http://${\(location.upstream)}\(path)

                """
        }
        return text
    }
}

/// A path cannot be written into a proxy configuration.
public struct ProxySnippetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path.
    public let path: String

    /// `cannot proxy "/pulp files/": ...`.
    public var description: String {
        "cannot proxy \"\(path)\": a proxied path starts and ends with '/' and holds only letters, digits and -._~/"
    }
}
