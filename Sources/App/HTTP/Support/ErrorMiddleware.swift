import HTTPTypes
import Hummingbird
import Logging
import TandemApp
import TandemORM

/// Turns every error a handler throws into a JSON response in the request's language:
/// ``APIError`` as it says, ``ValidationErrors`` as 400, Hummingbird's own errors (404 for an
/// unknown path, 413 for a body over the limit) with a `detail`, anything else as a 500 whose
/// cause goes to the log only (in English: the log is the administrator's).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Translates the messages.
    let localizer: Localizer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let failure: APIError
        do {
            return try await next(request, context)
        } catch let thrown as APIError {
            failure = thrown
        } catch let errors as ValidationErrors {
            failure = APIError(errors)
        } catch let thrown as any HTTPResponseError {
            failure = APIError(thrown.status, message: Self.message(for: thrown.status))
        } catch {
            // The description of a DatabaseError names the statement, never its bound values.
            context.logger.error("request failed: \(String(describing: error))")
            return JSONResponse.make(
                localizedBody(APIError(.internalServerError, message: .serverError), context),
                status: .internalServerError)
        }
        return JSONResponse.make(localizedBody(failure, context), status: failure.status, headers: failure.headers)
    }

    private func localizedBody(_ error: APIError, _ context: Context) -> JSONValue {
        error.body(in: context.language, localizer: localizer)
    }

    /// The message for a status Hummingbird raised.
    static func message(for status: HTTPResponse.Status) -> LocalizableMessage {
        switch status {
        case .notFound: .notFound
        case .contentTooLarge: .bodyTooLarge
        default: LocalizableMessage(status.reasonPhrase)
        }
    }
}
