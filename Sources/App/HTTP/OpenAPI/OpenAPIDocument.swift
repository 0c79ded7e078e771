import HTTPTypes
import TandemORM

/// Builds the OpenAPI 3 document of an ``API`` from its registered endpoints, with Pulp's
/// operation ids (`remotes_file_file_create`, `status_read`), paths (`{file_file_remote_href}`
/// for items, so clients substitute a whole `pulp_href`) and schema names
/// (`file.FileRemote`, `file.FileRemoteResponse`, `Paginatedfile.FileRemoteResponseList`).
/// With ``OpenAPIPathStyle/templated`` the item paths are OpenAPI path templates instead.
struct OpenAPIDocument {
    let apiBase: String
    let endpoints: [EndpointDocumentation]
    let versions: [ComponentVersion]
    var pathStyle: OpenAPIPathStyle = .pulp
    /// Paths and schemas of routes that are not viewsets (the task endpoints).
    var additions: [(paths: [String: JSONValue], schemas: [String: JSONValue])] = []

    static let json = "application/json"

    /// The document.
    func make() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [:]
        for endpoint in endpoints {
            addSchemas(of: endpoint, to: &schemas)
            paths[apiBase + endpoint.path + "/"] = .object(collectionOperations(endpoint))
            if !endpoint.itemMethods.isEmpty {
                paths[itemPath(endpoint)] = .object(itemOperations(endpoint))
            }
        }
        for addition in additions {
            paths.merge(addition.paths.mapValues(withRefusals)) { own, _ in own }
            schemas.merge(addition.schemas) { own, _ in own }
        }
        paths[apiBase + "status/"] = .object(["get": statusOperation()])
        schemas["AsyncOperationResponse"] = .object([
            "type": .string("object"), "required": .array([.string("task")]),
            // An href, relative to the server, as every href the API writes.
            "properties": .object(["task": .object(["type": .string("string"), "format": .string("uri-reference")])]),
        ])
        schemas["StatusResponse"] = .object(["type": .string("object"), "additionalProperties": .object([:])])
        addErrorSchemas(to: &schemas)
        var appVersions: [String: JSONValue] = [:]
        var releases: [String: JSONValue] = [:]
        for version in versions {
            appVersions[version.component] = .string(version.pulpAPILevel ?? version.version)
            releases[version.component] = .string(version.version)
        }
        return .object([
            "openapi": .string("3.0.3"),
            "info": .object([
                "title": .string("Pulp 3 API"), "version": .string("v3"),
                "description": .string("Tandem's REST API, shaped like Pulp's REST API v3."),
                "x-pulp-app-versions": .object(appVersions),
                "x-tandem-app-versions": .object(releases),
            ]),
            "paths": .object(paths),
            "components": .object([
                "schemas": .object(schemas),
                "securitySchemes": .object([
                    "basicAuth": .object(["type": .string("http"), "scheme": .string("basic")]),
                    "bearerAuth": .object(["type": .string("http"), "scheme": .string("bearer")]),
                ]),
            ]),
            "security": .array([.object(["basicAuth": .array([])]), .object(["bearerAuth": .array([])])]),
        ])
    }

    /// The path of an endpoint's single objects, in the document's ``pathStyle``.
    func itemPath(_ endpoint: EndpointDocumentation) -> String {
        switch pathStyle {
        case .pulp: "{\(endpoint.hrefParameter)}"
        case .templated: apiBase + endpoint.path + "/{\(endpoint.primaryKey)}/"
        }
    }

    /// The path parameter of an endpoint's item path: the whole `pulp_href` in Pulp's style, the
    /// primary key (a UUID) in the templated one.
    func itemParameter(_ endpoint: EndpointDocumentation) -> JSONValue {
        let (name, schema): (String, JSONValue) =
            switch pathStyle {
            case .pulp: (endpoint.hrefParameter, .object(["type": .string("string")]))
            case .templated: (endpoint.primaryKey, .object(["type": .string("string"), "format": .string("uuid")]))
            }
        return .object([
            "name": .string(name), "in": .string("path"), "required": .bool(true), "schema": schema,
        ])
    }

    /// A `$ref` to a schema of the document.
    func reference(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    /// A required JSON request body of this schema.
    func body(_ schema: String) -> JSONValue {
        .object(["required": .bool(true), "content": .object([Self.json: .object(["schema": reference(schema)])])])
    }

    /// A response with a JSON body of this schema, or none.
    func response(_ description: String, schema: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["description": .string(description)]
        if let schema { object["content"] = .object([Self.json: .object(["schema": reference(schema)])]) }
        return .object(object)
    }

    /// An operation of an endpoint, tagged with the endpoint's tag.
    func operation(
        _ id: String, _ endpoint: EndpointDocumentation, summary: String, parameters: [JSONValue] = [],
        requestBody: JSONValue? = nil, responses: [String: JSONValue]
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": .array([.string(endpoint.tag)]),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if let requestBody { object["requestBody"] = requestBody }
        return .object(object)
    }

    /// The status endpoint's operation: open to everyone.
    func statusOperation() -> JSONValue {
        .object([
            "operationId": .string("status_read"), "summary": .string("Inspect status of Pulp"),
            "tags": .array([.string("Status")]), "security": .array([.object([:])]),
            "responses": .object(["200": response("The status.", schema: "StatusResponse")]),
        ])
    }
}
