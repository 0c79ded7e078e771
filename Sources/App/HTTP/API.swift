import Foundation
import HTTPTypes
import Hummingbird
import TandemApp
import TandemDatabase
import TandemORM
import TandemTasks

/// Tandem's REST API: the viewsets plugins register, served under `<api_root>api/v3/` by a
/// Hummingbird router.
///
/// ```swift
/// var api = API(database: database)
/// api.register(MasterViewSet<Remote>("remotes", filters: [FilterField("pulp_type")]))
/// api.register(ViewSet<FileRemote>("remotes/file/file", filters: [FilterField("name")], uniqueFields: ["name"]))
/// let app = Application(router: api.router(), configuration: .init(address: .hostname("127.0.0.1", port: 24817)))
/// ```
///
/// ## Topics
/// - ``ViewSet``
/// - ``MasterViewSet``
/// - ``APIResource``
/// - ``FilterField``
public struct API: Sendable {
    /// The database served.
    public let database: Database
    /// Paths and limits.
    public var configuration: APIConfiguration
    /// What the status endpoint reports; its versions also fill the document's
    /// `info.x-pulp-app-versions`.
    public var status: StatusConfiguration = StatusConfiguration()
    /// How users authenticate; nil serves without authentication (tests of the REST engine).
    /// With it, everything but the status and the API document needs a user, and writes an admin.
    public var authentication: AuthenticationConfiguration?
    /// The detail models master viewsets cast rows to; an application's when the API is built
    /// from one.
    public var models: ModelRegistry = .shared
    /// Translates API errors and validation messages into the language of each request's
    /// `Accept-Language`; add a plugin's catalogues with ``Localizer/adding(_:)``.
    public var localizer: Localizer = .bundled
    /// The plugins' routes outside `api/v3/`, in registration order.
    public private(set) var routes: [PluginRoute] = []
    /// The task queue shown at `tasks/` and `task-groups/`; nil serves no task endpoints.
    public var tasks: TaskQueue?
    /// Repository versions and sync of repository viewsets, in registration order.
    var repositoryVersionRoutes: [RepositoryVersionRoutes] = []
    /// The registered endpoints, in registration order.
    var endpoints: [any Endpoint] = []

    /// An API over `database` with no viewsets yet.
    public init(database: Database, configuration: APIConfiguration = APIConfiguration()) {
        self.database = database
        self.configuration = configuration
    }

    /// Serves a model's values at the viewset's path.
    public mutating func register<M: APIResource>(_ viewSet: ViewSet<M>) {
        add(viewSet)
    }

    /// Serves a master model's typed list at the viewset's path.
    public mutating func register<M: APIResource & MasterModel>(_ viewSet: MasterViewSet<M>) {
        add(viewSet)
    }

    /// Serves a plugin's route outside `api/v3/`, at `<api_root><route.path>`. Routes of one
    /// path differ in method and agree on authentication.
    public mutating func register(_ route: PluginRoute) {
        precondition(
            !routes.contains { $0.path == route.path && $0.method == route.method },
            "two plugins claim \(route.method) \(route.path)")
        precondition(
            !routes.contains { $0.path == route.path && $0.requiresAuthentication != route.requiresAuthentication },
            "the routes of \(route.path) disagree on authentication")
        routes.append(route)
    }

    /// Serves the versions and sync of a repository viewset (``RepositoryVersionRoutes``).
    public mutating func register(_ routes: RepositoryVersionRoutes) {
        precondition(
            !repositoryVersionRoutes.contains { $0.repositoryPath == routes.repositoryPath },
            "two registrations of versions for api/v3/\(routes.repositoryPath)/")
        repositoryVersionRoutes.append(routes)
    }

    private mutating func add(_ endpoint: any Endpoint) {
        precondition(!endpoints.contains { $0.path == endpoint.path }, "two viewsets claim api/v3/\(endpoint.path)/")
        endpoints.append(endpoint)
    }

    /// The environment handlers serve in.
    var environment: ServingEnvironment {
        var paths: [ObjectIdentifier: String] = [:]
        for endpoint in endpoints where paths[ObjectIdentifier(endpoint.modelType)] == nil {
            // A model's own viewset names its values, not a master list that shows them too.
            if !endpoint.itemMethods.isEmpty { paths[ObjectIdentifier(endpoint.modelType)] = endpoint.path }
        }
        var environment = ServingEnvironment(
            database: database, apiBase: configuration.apiBase, paths: paths,
            defaultLimit: configuration.defaultPageSize, maximumLimit: configuration.maximumPageSize)
        for endpoint in endpoints {
            if let model = endpoint.modelType as? any Model.Type { environment.tables[endpoint.path] = model.tableName }
        }
        return environment
    }

    /// A router serving every registered endpoint, with JSON errors and `Correlation-ID`.
    public func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: CorrelationIDMiddleware())
        router.add(middleware: LanguageMiddleware(localizer: localizer))
        router.add(middleware: ErrorMiddleware(localizer: localizer))
        addRoutes(to: router)
        return router
    }

    /// The OpenAPI 3 document of the registered endpoints, as Pulp writes it (`api.json`).
    public var document: JSONValue { document(paths: .pulp) }

    /// The OpenAPI 3 document with item paths in `style` (`api.json?strict` serves ``OpenAPIPathStyle/templated``).
    public func document(paths style: OpenAPIPathStyle) -> JSONValue {
        var document = OpenAPIDocument(
            apiBase: configuration.apiBase, endpoints: endpoints.map(\.documentation), versions: status.versions,
            pathStyle: style)
        if tasks != nil {
            document.additions.append(TaskDocumentation.additions(apiBase: configuration.apiBase, pathStyle: style))
        }
        document.additions += repositoryVersionRoutes.map {
            $0.documentation(apiBase: configuration.apiBase, pathStyle: style)
        }
        return document.make()
    }

    /// Adds the status endpoint, the API document and the endpoints' routes to `router`, after
    /// whatever middleware it already has.
    public func addRoutes(to router: Router<APIRequestContext>) {
        let environment = self.environment
        let statusEndpoint = StatusEndpoint(configuration: status, database: database)
        Self.on(router, RouterPath(configuration.apiBase + "status/"), allowed: [.get]) { _, context in
            JSONResponse.make(await statusEndpoint.status(logger: context.logger))
        }
        let document = JSONResponse.make(self.document), strict = JSONResponse.make(self.document(paths: .templated))
        Self.on(router, RouterPath(configuration.apiBase + "docs/api.json"), allowed: [.get]) { request, _ in
            request.uri.queryParameters.has("strict") ? strict : document
        }
        for group in pluginRoutesByPath(authenticated: false) { addRoutes(group.routes, at: group.path, to: router) }
        if let authentication {
            // Hummingbird applies a middleware to the routes added after it: status and the
            // document above stay open.
            router.add(
                middleware: AuthenticationMiddleware(
                    authenticator: Authenticator(database: database, configuration: authentication)))
        }
        for group in pluginRoutesByPath(authenticated: true) { addRoutes(group.routes, at: group.path, to: router) }
        let bodyLimit = configuration.maximumBodySize
        let asynchronous = tasks.map {
            AsynchronousChanges(queue: $0, rendering: TaskRendering(apiBase: configuration.apiBase))
        }
        for endpoint in endpoints {
            let collection = configuration.apiBase + endpoint.path + "/"
            Self.on(router, RouterPath(collection), allowed: endpoint.collectionMethods) { request, context in
                switch request.method {
                case .get:
                    let baseURL = "http://\(request.head.authority ?? "localhost")\(collection)"
                    return JSONResponse.make(
                        try await endpoint.list(query: request.uri.query, baseURL: baseURL, in: environment))
                default:
                    let body = try await Self.jsonBody(request, limit: bodyLimit)
                    return JSONResponse.make(try await endpoint.create(body, in: environment), status: .created)
                }
            }
            guard !endpoint.itemMethods.isEmpty else { continue }
            Self.on(router, RouterPath(collection + ":key/"), allowed: endpoint.itemMethods) { request, context in
                let key = context.parameters.get("key") ?? ""
                switch request.method {
                case .get:
                    return JSONResponse.make(try await endpoint.retrieve(key, in: environment))
                case .delete:
                    if let asynchronous, endpoint.changesRunAsTasks {
                        return try await asynchronous.delete(endpoint, key: key, in: environment)
                    }
                    try await endpoint.delete(key, in: environment)
                    return JSONResponse.noContent()
                default:
                    let body = try await Self.jsonBody(request, limit: bodyLimit)
                    if let asynchronous, endpoint.changesRunAsTasks {
                        return try await asynchronous.update(
                            endpoint, key: key, body: body, partial: request.method == .patch, in: environment)
                    }
                    let updated = try await endpoint.update(
                        key, with: body, partial: request.method == .patch, in: environment)
                    return JSONResponse.make(updated)
                }
            }
        }
        for routes in repositoryVersionRoutes {
            routes.add(to: router, environment: environment, queue: tasks, bodyLimit: bodyLimit)
        }
        if let tasks {
            TaskRoutes(
                queue: tasks, rendering: TaskRendering(apiBase: configuration.apiBase),
                defaultLimit: configuration.defaultPageSize, maximumLimit: configuration.maximumPageSize,
                bodyLimit: bodyLimit, resource: { environment.resourceName(of: $0) }
            ).add(to: router)
        }
    }

    /// The methods routed on every path: those a path does not allow answer 405.
    static let routedMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    /// Routes every method of ``routedMethods`` on `path`; `allowed` ones reach `handler`.
    static func on(
        _ router: Router<APIRequestContext>, _ path: RouterPath, allowed: [HTTPRequest.Method],
        _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response
    ) {
        for method in routedMethods {
            router.on(path, method: method) { request, context in
                guard allowed.contains(request.method) else {
                    throw APIError.methodNotAllowed(request.method, allowed: allowed)
                }
                return try await handler(request, context)
            }
        }
    }

    /// The request's JSON body: 415 unless it is `application/json`, 413 over `limit` bytes, 400
    /// when it does not parse or a field's text holds a NUL character.
    static func jsonBody(_ request: Request, limit: Int) async throws -> JSONValue {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType.lowercased() == "application/json" else {
            throw APIError(.unsupportedMediaType, message: .unsupportedMediaType(contentType))
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let body: JSONValue
        do {
            body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(.badRequest, message: .parseError)
        }
        let nulls = NullCharacters.errors(in: body)
        if !nulls.isEmpty { throw APIError(nulls) }
        return body
    }
}
