import Foundation
import TandemApp
import TandemDatabase
import TandemHTTP
import Testing

/// The reverse-proxy snippets of `tandem proxy-config`: every plugin route, the API root and the
/// content root, with the upstreams `pulp-api` and `pulp-content`.
@Suite("Reverse-proxy snippets")
struct ProxySnippetsTests {
    /// The example application's routes, as `tandem proxy-config` finds them.
    private func applicationRoutes() throws -> [PluginRoute] {
        API.plugins(of: try makePluginApplication()).flatMap(\.routes)
    }

    @Test("nginx: a location per path, each to its upstream")
    func nginx() throws {
        let snippets = try ProxySnippets(apiRoot: "/pulp/", contentRoot: "/pulp/content/", routes: applicationRoutes())
        let text = snippets.render(.nginx)
        let blocks = Self.nginxBlocks(text)
        #expect(
            blocks == [
                "/pulp/api/v3/": "pulp-api", "/pulp/content/": "pulp-content", "/pulp/file/health/": "pulp-api",
            ])
        #expect(text.filter { $0 == "{" }.count == text.filter { $0 == "}" }.count)
        #expect(text.contains("proxy_set_header Host $http_host;"))
        #expect(text.contains("proxy_redirect off;"))
    }

    @Test("apache: ProxyPass and ProxyPassReverse per path, longest first")
    func apache() throws {
        let snippets = try ProxySnippets(apiRoot: "/x/", contentRoot: "/x/content/", routes: applicationRoutes())
        let lines = snippets.render(.apache).split(separator: "\n").filter { $0.hasPrefix("Proxy") }
        #expect(
            lines == [
                "ProxyPass /x/file/health http://${pulp-api}/x/file/health",
                "ProxyPassReverse /x/file/health http://${pulp-api}/x/file/health",
                "ProxyPass /x/content http://${pulp-content}/x/content",
                "ProxyPassReverse /x/content http://${pulp-content}/x/content",
                "ProxyPass /x/api/v3 http://${pulp-api}/x/api/v3",
                "ProxyPassReverse /x/api/v3 http://${pulp-api}/x/api/v3",
            ])
    }

    @Test("routes sharing a prefix give one location; parameters are cut off")
    func prefixes() throws {
        let handler: PluginRoute.Handler = { _ in .text("") }
        let routes = [
            PluginRoute("demo/repositories/:name/manifest/", handler: handler),
            PluginRoute("demo/repositories/:name/", method: "DELETE", handler: handler),
            PluginRoute("demo/ping", handler: handler),
        ]
        let snippets = try ProxySnippets(apiRoot: "/pulp/", contentRoot: "/pulp/content/", routes: routes)
        #expect(
            snippets.locations.map(\.path) == [
                "/pulp/api/v3/", "/pulp/content/", "/pulp/demo/repositories/", "/pulp/demo/ping/",
            ])
    }

    @Test("a path a configuration cannot carry is refused, naming it")
    func hostilePaths() {
        let handler: PluginRoute.Handler = { _ in .text("") }
        for (apiRoot, contentRoot, route) in [
            ("/a b/", "/pulp/content/", "file/x/"), ("/pulp/", "/c;proxy_pass x;/", "file/x/"),
            ("/pulp/", "/pulp/content/", "file/{x}/"), ("/pulp/", "pulp/content", "file/x/"),
            ("/pulp//", "/pulp/content/", "file/x/"),
        ] {
            let error = #expect(throws: ProxySnippetError.self) {
                _ = try ProxySnippets(
                    apiRoot: apiRoot, contentRoot: contentRoot, routes: [PluginRoute(route, handler: handler)])
            }
            #expect(error.map { "\($0)".contains("cannot proxy") } == true)
        }
    }

    @Test("a route's summary stays one comment line")
    func summaryCannotInjectDirectives() throws {
        let route = PluginRoute("demo/x/", summary: "x\nproxy_pass http://evil;\n") { _ in .text("") }
        let text = try ProxySnippets(apiRoot: "/pulp/", contentRoot: "/pulp/content/", routes: [route])
            .render(.nginx)
        for line in text.split(separator: "\n") where line.contains("evil") {
            #expect(line.hasPrefix("# "), "\(line)")
        }
        #expect(Self.nginxBlocks(text)["/pulp/demo/x/"] == "pulp-api")
    }

    /// Each `location PATH {` block's `proxy_pass` upstream, by path.
    static func nginxBlocks(_ text: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let match = line.wholeMatch(of: /location (\S+) \{/) { current = String(match.1) }
            if let match = line.wholeMatch(of: /proxy_pass http:\/\/([a-z-]+);/), let path = current {
                blocks[path] = String(match.1)
            }
            if line == "}" { current = nil }
        }
        return blocks
    }
}
