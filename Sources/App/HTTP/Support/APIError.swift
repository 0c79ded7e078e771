import HTTPTypes
import Hummingbird
import TandemORM

/// An error the API answers with a JSON body, as Pulp's REST framework does:
/// `{"detail": "Not found."}`, or field names mapped to lists of messages for 400.
public struct APIError: Error, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The JSON body.
    public let body: JSONValue
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    public var headers: HTTPFields = [:]

    /// An error with a `detail` message.
    public init(_ status: HTTPResponse.Status, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.body = .object(["detail": .string(detail)])
        self.headers = headers
    }

    /// A 400 listing every field's messages: `{"name": ["This field must be unique."]}`.
    public init(_ errors: ValidationErrors) {
        status = .badRequest
        var object: [String: JSONValue] = [:]
        for field in errors.fields {
            object[field] = .array(errors.messages(for: field).map { .string($0) })
        }
        body = .object(object)
    }

    /// 404 `Not found.`
    public static var notFound: APIError { APIError(.notFound, detail: "Not found.") }

    /// 405 naming the method, with the methods the path allows.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(.methodNotAllowed, detail: "Method \"\(method.rawValue)\" not allowed.", headers: headers)
    }

    /// 400 for one field.
    public static func invalid(_ message: String, field: String) -> APIError {
        var errors = ValidationErrors()
        errors.add(message, field: field)
        return APIError(errors)
    }
}
