import HTTPTypes
import Hummingbird
import Logging
import TandemApp
import TandemDatabase
import TandemORM

/// Turns every error a handler throws into a JSON response in the request's language:
/// ``APIError`` as it says, ``ValidationErrors`` as 400, Hummingbird's own errors (404 for an
/// unknown path, 413 for a body over the limit) with a `detail`, a database's refusal of the
/// request's values (``TandemDatabase/DatabaseError/refusesInput``) as 400, a database that is
/// busy past its lock timeout or unreachable (``TandemDatabase/DatabaseError/isWorthRetrying``:
/// a migration's lock, a server restart) as 503 with `Retry-After`, anything else as a 500 whose
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
        } catch let error as DatabaseError where error.refusesInput {
            // PostgreSQL's message may quote the refused value: neither the log nor the client
            // gets it, only the code and the statement.
            context.logger.info(
                "request refused by the database: code \(error.code ?? "-") - while executing '\(error.statement ?? "-")'"
            )
            failure = APIError(.badRequest, message: .refusedInput)
        } catch let error as DatabaseError where error.isWorthRetrying {
            // A warning, not an error: the server is sound and the client is told to come back.
            context.logger.warning(
                "request met a busy or unreachable database, answered 503: \(String(describing: error))")
            failure = APIError(
                .serviceUnavailable, message: .databaseUnavailable, headers: [.retryAfter: Self.retryAfterSeconds])
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

    /// The `Retry-After` of a 503: lock timeouts are a fraction of a second to seconds, and a
    /// restarted server accepts connections within seconds.
    static let retryAfterSeconds = "1"

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
