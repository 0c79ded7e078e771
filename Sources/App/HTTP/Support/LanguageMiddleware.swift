import Hummingbird
import TandemApp

/// Chooses the language of a request's messages from its `Accept-Language` header among the
/// localizer's catalogues (English when none fits), for the error middleware and plugin routes
/// after it.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// The catalogues to choose among.
    let localizer: Localizer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.language = localizer.language(forAcceptLanguage: request.headers[.acceptLanguage])
        return try await next(request, context)
    }
}
