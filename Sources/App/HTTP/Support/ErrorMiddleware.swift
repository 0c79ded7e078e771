import HTTPTypes
import Hummingbird
import Logging
import TandemDatabase
import TandemORM

/// Turns every error a handler throws into a JSON response: ``APIError`` as it says,
/// ``ValidationErrors`` as 400, Hummingbird's own errors (404 for an unknown path, 413 for a body
/// over the limit) with a `detail`, a database's refusal of the request's values
/// (``TandemDatabase/DatabaseError/refusesInput``) as 400, anything else as a 500 whose cause
/// goes to the log only.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return JSONResponse.make(error.body, status: error.status, headers: error.headers)
        } catch let errors as ValidationErrors {
            let error = APIError(errors)
            return JSONResponse.make(error.body, status: error.status)
        } catch let error as DatabaseError where error.refusesInput {
            // PostgreSQL's message may quote the refused value: neither the log nor the client
            // gets it, only the code and the statement.
            context.logger.info(
                "request refused by the database: code \(error.code ?? "-") - while executing '\(error.statement ?? "-")'"
            )
            return JSONResponse.make(.object(["detail": .string(Self.refusedInput)]), status: .badRequest)
        } catch let error as any HTTPResponseError {
            return JSONResponse.make(
                .object(["detail": .string(Self.detail(for: error.status))]), status: error.status)
        } catch {
            // The description of a DatabaseError names the statement, never its bound values.
            context.logger.error("request failed: \(String(describing: error))")
            return JSONResponse.make(
                .object(["detail": .string("A server error occurred.")]), status: .internalServerError)
        }
    }

    /// The message of a 400 for values the database refused.
    static let refusedInput = "Invalid input: the database refused a value of the request."

    /// The message for a status Hummingbird raised.
    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found."
        case .contentTooLarge: "Request body too large."
        default: status.reasonPhrase
        }
    }
}
