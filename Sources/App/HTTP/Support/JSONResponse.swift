import Foundation
import HTTPTypes
import Hummingbird
import TandemORM

/// Builds the API's JSON responses with `Content-Type: application/json` exactly: pulp-glue
/// compares the header with the OpenAPI document's media type, and Hummingbird's JSON encoder
/// would add `; charset=utf-8`.
enum JSONResponse {
    /// The one media type the API answers with.
    static let mediaType = "application/json"

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A response with `value` as its JSON body.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        // Encoding a JSONValue cannot fail: every case maps to JSON (non-finite doubles never reach it,
        // since JSONValue is only built from decoded JSON and database values).
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        var fields = headers
        fields[.contentType] = mediaType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An empty 204 response.
    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
