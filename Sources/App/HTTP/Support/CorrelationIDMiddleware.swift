import Foundation
import HTTPTypes
import Hummingbird

/// Echoes the request's `Correlation-ID` header in the response, or sets a new one, as Pulp does
/// (pulp-glue accepts its own value back or none), and names it in the request's log lines.
struct CorrelationIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// The header's name.
    static let header = HTTPField.Name("Correlation-ID")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let given = request.headers[Self.header].flatMap(Self.acceptable)
        let id = given ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var context = context
        context.logger[metadataKey: "correlation_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[Self.header] = id
        return response
    }

    /// A client's id, if it is short printable ASCII (it is echoed into a header and the log).
    private static func acceptable(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 128,
            value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
        else { return nil }
        return value
    }
}
