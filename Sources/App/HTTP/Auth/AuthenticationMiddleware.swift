import HTTPTypes
import Hummingbird
import TandemApp

/// Lets only authenticated users through, and only admins write (until role-based access control
/// lands): 401, 429 or 403 as JSON otherwise.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let user = try await authenticator.authenticate(request.headers, address: context.remoteAddress)
        let reads: [HTTPRequest.Method] = [.get, .head, .options]
        guard user.isAdmin || reads.contains(request.method) else {
            throw APIError(.forbidden, message: .permissionDenied)
        }
        var context = context
        context.user = user
        context.logger[metadataKey: "user"] = .string(user.name)
        return try await next(request, context)
    }
}
