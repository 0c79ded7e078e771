import Foundation
import HTTPTypes
import Hummingbird

extension API {
    /// Serves `route` at `<api_root><route.path>`; its other methods answer 405.
    func addRoute(_ route: PluginRoute, to router: Router<APIRequestContext>) {
        let names = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
        let database = self.database
        let method = HTTPRequest.Method(route.method) ?? .get
        Self.on(router, RouterPath(configuration.apiRoot + route.path), allowed: [method]) { request, context in
            var parameters: [String: String] = [:]
            for name in names { parameters[name] = context.parameters.get(name) }
            let answer = try await route.handler(
                PluginRequest(
                    database: database, parameters: parameters, query: request.uri.query,
                    language: context.language))
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }
}
