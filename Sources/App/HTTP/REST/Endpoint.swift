import Foundation
import HTTPTypes
import Hummingbird
import TandemDatabase
import TandemORM
import TandemTasks

/// What serving a request needs besides the request: the database and where each model's
/// values live (for `pulp_href`).
struct ServingEnvironment: Sendable {
    /// The database.
    let database: Database
    /// The absolute path of the API's v3 root, `/pulp/api/v3/`.
    let apiBase: String
    /// Each served model type's collection path under ``apiBase``.
    let paths: [ObjectIdentifier: String]
    /// Rows per page when the request gives no `limit`.
    let defaultLimit: Int
    /// The largest `limit` honoured.
    let maximumLimit: Int
    /// Each served collection path's table, for the resource names tasks reserve.
    var tables: [String: String] = [:]

    /// The `pulp_href` of a value of `type` whose key is `key`.
    func href(of type: Any.Type, key: String, fallback: String) -> String {
        apiBase + (paths[ObjectIdentifier(type)] ?? fallback) + "/" + key + "/"
    }

    /// The flat object shown for a value: its fields, `pulp_href` instead of the primary key.
    func render<M: Model>(_ value: M, fallbackPath: String) throws -> [String: JSONValue] {
        var object = try ResourceCoding.flatObject(value)
        // Encoders leave nil fields out; the API shows every field, null when it has no value.
        for column in try M.tableColumns.joined() where object[column] == nil { object[column] = .null }
        let key = ResourceCoding.keyText(object[M.primaryKey]) ?? ""
        object[M.primaryKey] = nil
        object["pulp_href"] = .string(href(of: M.self, key: key, fallback: fallbackPath))
        return object
    }
}

/// A served path: a ``ViewSet`` or ``MasterViewSet`` with its model type erased, so the ``API``
/// holds many.
protocol Endpoint: Sendable {
    /// The path under `api/v3/`.
    var path: String { get }
    /// The model type served.
    var modelType: Any.Type { get }
    /// The methods of the collection path (`GET` lists, `POST` creates).
    var collectionMethods: [HTTPRequest.Method] { get }
    /// The methods of an item path; empty when the endpoint has no item paths.
    var itemMethods: [HTTPRequest.Method] { get }

    /// The OpenAPI description of this endpoint.
    var documentation: EndpointDocumentation { get }

    /// Answers `GET <path>/`.
    /// `query` is the raw query string, `baseURL` the absolute URL of the path (for page links).
    func list(query: String?, baseURL: String, in environment: ServingEnvironment) async throws -> JSONValue
    /// Answers `GET <path>/<key>/`.
    func retrieve(_ key: String, in environment: ServingEnvironment) async throws -> JSONValue
    /// Answers `POST <path>/` with the new object.
    func create(_ body: JSONValue, in environment: ServingEnvironment) async throws -> JSONValue
    /// Answers `PUT` (`partial` false) and `PATCH` on `<path>/<key>/`.
    func update(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment) async throws
        -> JSONValue
    /// Answers `DELETE <path>/<key>/`.
    func delete(_ key: String, in environment: ServingEnvironment) async throws

    /// Whether updates and deletes run as tasks (202 with the task) when the API has a queue.
    var changesRunAsTasks: Bool { get }
    /// Checks an update as ``update(_:with:partial:in:)`` would, storing nothing (404, 400).
    func checkUpdate(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment)
        async throws
    /// The name under which tasks reserve the stored object with this key (404 when there is none).
    func resourceName(of key: String, in environment: ServingEnvironment) async throws -> ResourceName
}

/// `{count, next, previous, results}` with absolute `next`/`previous` links, as Pulp pages.
func page(count: Int, results: [JSONValue], request: ListRequest, baseURL: String, parameters: String?) -> JSONValue {
    func link(offset: Int) -> JSONValue {
        var items = (parameters ?? "").split(separator: "&").filter {
            !$0.hasPrefix("limit=") && !$0.hasPrefix("offset=") && $0 != "limit" && $0 != "offset"
        }.map(String.init)
        items.append("limit=\(request.limit)")
        if offset > 0 { items.append("offset=\(offset)") }
        return .string(baseURL + "?" + items.joined(separator: "&"))
    }
    // An offset near Int.max must not overflow: there is no next page past it.
    let (end, overflow) = request.offset.addingReportingOverflow(request.limit)
    let next: JSONValue = !overflow && end < count ? link(offset: end) : .null
    let previous: JSONValue = request.offset > 0 ? link(offset: max(0, request.offset - request.limit)) : .null
    return .object([
        "count": .integer(Int64(count)), "next": next, "previous": previous, "results": .array(results),
    ])
}
