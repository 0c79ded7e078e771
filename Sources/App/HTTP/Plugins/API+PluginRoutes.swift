import Foundation
import HTTPTypes
import Hummingbird

extension API {
    /// The plugin routes that need authentication (or not), grouped by path in registration
    /// order: one path may have a route per method.
    func pluginRoutesByPath(authenticated: Bool) -> [(path: String, routes: [PluginRoute])] {
        var groups: [(path: String, routes: [PluginRoute])] = []
        for route in routes where route.requiresAuthentication == authenticated {
            if let index = groups.firstIndex(where: { $0.path == route.path }) {
                groups[index].routes.append(route)
            } else {
                groups.append((route.path, [route]))
            }
        }
        return groups
    }

    /// Serves the routes of one path at `<api_root><path>`; the methods none of them has answer 405.
    func addRoutes(_ routes: [PluginRoute], at path: String, to router: Router<APIRequestContext>) {
        let names = path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
        let database = self.database
        let byMethod = Dictionary(routes.map { ($0.method, $0) }, uniquingKeysWith: { first, _ in first })
        let allowed = routes.compactMap { HTTPRequest.Method($0.method) }
        Self.on(router, RouterPath(configuration.apiRoot + path), allowed: allowed) { request, context in
            guard let route = byMethod[request.method.rawValue] else {
                throw APIError.methodNotAllowed(request.method, allowed: allowed)
            }
            var parameters: [String: String] = [:]
            for name in names { parameters[name] = context.parameters.get(name) }
            let answer = try await route.handler(
                PluginRequest(
                    database: database, parameters: parameters, query: request.uri.query, language: context.language))
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }
}
