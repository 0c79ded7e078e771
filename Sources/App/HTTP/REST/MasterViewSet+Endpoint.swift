import HTTPTypes
import TandemORM
import TandemTasks

extension MasterViewSet: Endpoint {
    var modelType: Any.Type { M.self }
    var collectionMethods: [HTTPRequest.Method] { [.get] }
    var itemMethods: [HTTPRequest.Method] { [] }

    func list(query: String?, baseURL: String, in environment: ServingEnvironment) async throws -> JSONValue {
        let request = try ListRequest(
            QueryParameters(query), filters: filters, orderingFields: orderingFields,
            defaultLimit: environment.defaultLimit, maximumLimit: environment.maximumLimit)
        var selection = M.query(on: environment.database)
        for condition in request.conditions { selection = selection.filter(condition) }
        let count = try await selection.count()
        for ordering in (request.orderings.isEmpty ? defaultOrdering : request.orderings) {
            selection = selection.order(ordering)
        }
        let masters = try await selection.order(Column(M.primaryKey).ascending)
            .limit(request.limit, offset: request.offset).all()
        // One query per detail type present, never one per row.
        let typed = try await M.cast(masters, on: environment.database, registry: registry)
        let rendered = try await environment.decorated(try typed.map { try render($0, in: environment) }, of: M.self)
        let results = rendered.map { JSONValue.object(request.shape($0)) }
        return page(count: count, results: results, request: request, baseURL: baseURL, parameters: query)
    }

    private func render(_ value: some InheritanceMember, in environment: ServingEnvironment) throws
        -> [String: JSONValue]
    {
        try environment.render(value, fallbackPath: path)
    }

    func retrieve(_ key: String, in environment: ServingEnvironment) async throws -> JSONValue {
        throw APIError.notFound
    }

    func create(_ body: JSONValue, in environment: ServingEnvironment) async throws -> JSONValue {
        throw APIError.methodNotAllowed(.post, allowed: collectionMethods)
    }

    func update(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment) async throws
        -> JSONValue
    {
        throw APIError.notFound
    }

    func delete(_ key: String, in environment: ServingEnvironment) async throws {
        throw APIError.notFound
    }

    var changesRunAsTasks: Bool { false }

    func checkUpdate(_ key: String, with body: JSONValue, partial: Bool, in environment: ServingEnvironment)
        async throws
    {
        throw APIError.notFound
    }

    func resourceName(of key: String, in environment: ServingEnvironment) async throws -> ResourceName {
        throw APIError.notFound
    }
}
