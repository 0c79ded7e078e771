import HTTPTypes
import Hummingbird
import TandemApp
import TandemORM

/// An error the API answers with a JSON body, as Pulp's REST framework does:
/// `{"detail": "Not found."}`, or field names mapped to lists of messages for 400. Its messages
/// are translatable: the API answers them in the language the request's `Accept-Language` asks
/// for (``body(in:localizer:)``).
public struct APIError: Error, Sendable {
    /// What the body says.
    enum Message: Sendable {
        /// `{"detail": message}`.
        case detail(LocalizableMessage)
        /// Each field's messages.
        case fields(ValidationErrors)
    }

    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The body's messages.
    let message: Message
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    public var headers: HTTPFields = [:]

    /// An error with a `detail` message in English; the text is also its catalogue key.
    public init(_ status: HTTPResponse.Status, detail: String, headers: HTTPFields = [:]) {
        self.init(status, message: LocalizableMessage(detail), headers: headers)
    }

    /// An error with a translatable `detail` message.
    public init(_ status: HTTPResponse.Status, message: LocalizableMessage, headers: HTTPFields = [:]) {
        self.status = status
        self.message = .detail(message)
        self.headers = headers
    }

    /// A 400 listing every field's messages: `{"name": ["This field must be unique."]}`.
    public init(_ errors: ValidationErrors) {
        status = .badRequest
        message = .fields(errors)
    }

    /// The JSON body in English.
    public var body: JSONValue { body(in: Localizer.defaultLanguage, localizer: .bundled) }

    /// The JSON body with its messages in `language`.
    public func body(in language: String, localizer: Localizer) -> JSONValue {
        switch message {
        case .detail(let detail):
            return .object(["detail": .string(localizer.translate(detail, to: language))])
        case .fields(let errors):
            var object: [String: JSONValue] = [:]
            for (field, messages) in localizer.translate(errors, to: language) {
                object[field] = .array(messages.map { .string($0) })
            }
            return .object(object)
        }
    }

    /// 404 `Not found.`
    public static var notFound: APIError { APIError(.notFound, message: .notFound) }

    /// 405 naming the method, with the methods the path allows.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(.methodNotAllowed, message: .methodNotAllowed(method.rawValue), headers: headers)
    }

    /// 400 for one field.
    public static func invalid(_ message: String, field: String) -> APIError {
        invalid(LocalizableMessage(message), field: field)
    }

    /// 400 for one field, translatable.
    public static func invalid(_ message: LocalizableMessage, field: String) -> APIError {
        var errors = ValidationErrors()
        errors.add(message, field: field)
        return APIError(errors)
    }
}
