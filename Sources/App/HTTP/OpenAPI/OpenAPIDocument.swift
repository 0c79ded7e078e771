import HTTPTypes
import TandemORM

/// Builds the OpenAPI 3 document of an ``API`` from its registered endpoints, with Pulp's
/// operation ids (`remotes_file_file_create`, `status_read`), paths (`{file_file_remote_href}`
/// for items, so clients substitute a whole `pulp_href`) and schema names
/// (`file.FileRemote`, `file.FileRemoteResponse`, `Paginatedfile.FileRemoteResponseList`).
struct OpenAPIDocument {
    let apiBase: String
    let endpoints: [EndpointDocumentation]
    let versions: [ComponentVersion]
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
                paths["{\(endpoint.hrefParameter)}"] = .object(itemOperations(endpoint))
            }
        }
        for addition in additions {
            paths.merge(addition.paths) { own, _ in own }
            schemas.merge(addition.schemas) { own, _ in own }
        }
        paths[apiBase + "status/"] = .object(["get": statusOperation()])
        schemas["AsyncOperationResponse"] = .object([
            "type": .string("object"), "required": .array([.string("task")]),
            "properties": .object(["task": .object(["type": .string("string"), "format": .string("uri")])]),
        ])
        schemas["StatusResponse"] = .object(["type": .string("object"), "additionalProperties": .object([:])])
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

    private func reference(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    private func body(_ schema: String) -> JSONValue {
        .object(["required": .bool(true), "content": .object([Self.json: .object(["schema": reference(schema)])])])
    }

    private func response(_ description: String, schema: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["description": .string(description)]
        if let schema { object["content"] = .object([Self.json: .object(["schema": reference(schema)])]) }
        return .object(object)
    }

    private func operation(
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

    private func queryParameter(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name), "in": .string("query"), "required": .bool(false), "schema": schema,
            "description": .string(description),
        ]
        if case .object(let schemaObject) = schema, schemaObject["type"] == .string("array") {
            object["style"] = .string("form")
            object["explode"] = .bool(false)
        }
        return .object(object)
    }

    private static let stringArray: JSONValue = .object([
        "type": .string("array"), "items": .object(["type": .string("string")]),
    ])

    private func listParameters(_ endpoint: EndpointDocumentation) -> [JSONValue] {
        var parameters = [
            queryParameter("limit", .object(["type": .string("integer")]), "Number of results to return per page."),
            queryParameter(
                "offset", .object(["type": .string("integer")]), "The initial index from which to return the results."),
            queryParameter("fields", Self.stringArray, "A list of fields to include in the response."),
            queryParameter("exclude_fields", Self.stringArray, "A list of fields to exclude from the response."),
        ]
        if !endpoint.orderingFields.isEmpty {
            let choices = endpoint.orderingFields.flatMap { [$0, "-" + $0] }.map { JSONValue.string($0) }
            let schema: JSONValue = .object([
                "type": .string("array"), "items": .object(["type": .string("string"), "enum": .array(choices)]),
            ])
            parameters.append(queryParameter("ordering", schema, "Which fields to use when ordering the results."))
        }
        for filter in endpoint.queryFilters {
            parameters.append(queryParameter(filter.name, .object(["type": .string("string")]), filter.description))
        }
        for filter in endpoint.filters {
            for lookup in filter.lookups {
                let schema = lookup == .in ? Self.stringArray : .object(["type": .string("string")])
                parameters.append(
                    queryParameter(
                        lookup.parameter(for: filter.name), schema,
                        "Filter results where \(filter.name) matches (\(lookup.rawValue))."))
            }
        }
        return parameters
    }

    private func collectionOperations(_ endpoint: EndpointDocumentation) -> [String: JSONValue] {
        let prefix = endpoint.operationPrefix
        var operations: [String: JSONValue] = [
            "get": operation(
                prefix + "_list", endpoint, summary: "List \(endpoint.path)", parameters: listParameters(endpoint),
                responses: [
                    "200": response("A page of results.", schema: "Paginated\(endpoint.schemaName)ResponseList")
                ])
        ]
        if endpoint.collectionMethods.contains(.post) {
            operations["post"] = operation(
                prefix + "_create", endpoint, summary: "Create a \(endpoint.schemaName)",
                requestBody: body(endpoint.schemaName),
                responses: [
                    "201": response("The created object.", schema: endpoint.schemaName + "Response"),
                    "400": response("Invalid fields: each field name maps to a list of messages."),
                ])
        }
        return operations
    }

    private func itemOperations(_ endpoint: EndpointDocumentation) -> [String: JSONValue] {
        let prefix = endpoint.operationPrefix
        let href: JSONValue = .object([
            "name": .string(endpoint.hrefParameter), "in": .string("path"), "required": .bool(true),
            "schema": .object(["type": .string("string")]),
        ])
        let notFound = response("No object has this href.")
        let updated =
            endpoint.changesRunAsTasks
            ? ["202": response("The task that applies the update.", schema: "AsyncOperationResponse")]
            : ["200": response("The updated object.", schema: endpoint.schemaName + "Response")]
        let deleted =
            endpoint.changesRunAsTasks
            ? ["202": response("The task that deletes the object.", schema: "AsyncOperationResponse")]
            : ["204": response("Deleted; no response body.")]
        var operations: [String: JSONValue] = [
            "parameters": .array([href]),
            "get": operation(
                prefix + "_read", endpoint, summary: "Inspect a \(endpoint.schemaName)",
                parameters: [
                    queryParameter("fields", Self.stringArray, "A list of fields to include in the response."),
                    queryParameter(
                        "exclude_fields", Self.stringArray, "A list of fields to exclude from the response."),
                ],
                responses: ["200": response("The object.", schema: endpoint.schemaName + "Response"), "404": notFound]),
        ]
        if endpoint.itemMethods.contains(.put) {
            operations["put"] = operation(
                prefix + "_update", endpoint, summary: "Update a \(endpoint.schemaName)",
                requestBody: body(endpoint.schemaName),
                responses: updated.merging([
                    "400": response("Invalid fields: each field name maps to a list of messages."), "404": notFound,
                ]) { own, _ in own })
        }
        if endpoint.itemMethods.contains(.patch) {
            operations["patch"] = operation(
                prefix + "_partial_update", endpoint, summary: "Update a \(endpoint.schemaName) partially",
                requestBody: body("Patched" + endpoint.schemaName),
                responses: updated.merging([
                    "400": response("Invalid fields: each field name maps to a list of messages."), "404": notFound,
                ]) { own, _ in own })
        }
        if endpoint.itemMethods.contains(.delete) {
            operations["delete"] = operation(
                prefix + "_delete", endpoint, summary: "Delete a \(endpoint.schemaName)",
                responses: deleted.merging(["404": notFound]) { own, _ in own })
        }
        return operations
    }

    private func statusOperation() -> JSONValue {
        .object([
            "operationId": .string("status_read"), "summary": .string("Inspect status of Pulp"),
            "tags": .array([.string("Status")]), "security": .array([.object([:])]),
            "responses": .object(["200": response("The status.", schema: "StatusResponse")]),
        ])
    }

    /// The request, patched-request, response and page schemas of an endpoint.
    private func addSchemas(of endpoint: EndpointDocumentation, to schemas: inout [String: JSONValue]) {
        var writable: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        var shown: [String: JSONValue] = ["pulp_href": .object(["type": .string("string"), "readOnly": .bool(true)])]
        for field in endpoint.addedFields {
            shown[field] = .object(["type": .string("string"), "readOnly": .bool(true), "nullable": .bool(true)])
        }
        for field in endpoint.fields where field.name != endpoint.primaryKey {
            var schema = field.schema
            if field.nullable, case .object(var object) = schema, !object.isEmpty {
                object["nullable"] = .bool(true)
                schema = .object(object)
            }
            shown[field.name] = schema
            guard !endpoint.readOnlyFields.contains(field.name) else { continue }
            writable[field.name] = schema
            if !field.nullable && !endpoint.defaultedFields.contains(field.name) {
                required.append(.string(field.name))
            }
        }
        var request: [String: JSONValue] = ["type": .string("object"), "properties": .object(writable)]
        if !required.isEmpty { request["required"] = .array(required) }
        schemas[endpoint.schemaName] = .object(request)
        schemas["Patched" + endpoint.schemaName] = .object(["type": .string("object"), "properties": .object(writable)])
        schemas[endpoint.schemaName + "Response"] = .object(["type": .string("object"), "properties": .object(shown)])
        schemas["Paginated\(endpoint.schemaName)ResponseList"] = .object([
            "type": .string("object"), "required": .array([.string("count"), .string("results")]),
            "properties": .object([
                "count": .object(["type": .string("integer")]),
                "next": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                "previous": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                "results": .object(["type": .string("array"), "items": reference(endpoint.schemaName + "Response")]),
            ]),
        ])
    }
}
