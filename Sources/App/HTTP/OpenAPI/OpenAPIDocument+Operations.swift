import HTTPTypes
import TandemORM

extension OpenAPIDocument {
    /// The refusals an operation can answer besides its success, each documented with its JSON
    /// body, so that clients and fuzzers find every status the server sends.
    enum Refusal: String, CaseIterable {
        case invalid = "400"
        case unauthenticated = "401"
        case forbidden = "403"
        case notFound = "404"
        case tooLarge = "413"
        case unsupportedMediaType = "415"
        case rateLimited = "429"
        case unavailable = "503"

        /// The refusals of a read: bad query parameters, no or wrong credentials, a busy or
        /// unreachable database.
        static let reads: [Refusal] = [.invalid, .unauthenticated, .rateLimited, .unavailable]
        /// The refusals of a write: a read's, plus a non-admin user and a body that is too large,
        /// not JSON or invalid.
        static let writes: [Refusal] = reads + [.forbidden, .tooLarge, .unsupportedMediaType]

        /// What the response means.
        var description: String {
            switch self {
            case .invalid: "Invalid input: each field or parameter name maps to a list of messages."
            case .unauthenticated: "No credentials, or wrong ones."
            case .forbidden: "The user may not do this."
            case .notFound: "No object has this href."
            case .tooLarge: "The request body is over the size limit."
            case .unsupportedMediaType: "The request body is not application/json."
            case .rateLimited: "Too many failed logins for this user from this address; try again later."
            case .unavailable:
                "The database is busy past its lock timeout (a migration, another transaction) or unreachable; "
                    + "try again after Retry-After seconds."
            }
        }

        /// The schema of the body: field errors for 400, a `detail` otherwise.
        var schema: String { self == .invalid ? "ValidationErrorResponse" : "ErrorResponse" }
    }

    /// A path item of an addition (the task and repository-version routes) with the refusals every
    /// operation can answer documented where the addition does not say otherwise: a read's for
    /// `get`, a write's for the others.
    func withRefusals(_ item: JSONValue) -> JSONValue {
        guard case .object(var operations) = item else { return item }
        for (method, operation) in operations where method != "parameters" {
            guard case .object(var fields) = operation, case .object(let documented)? = fields["responses"] else {
                continue
            }
            let refusals = method == "get" ? Refusal.reads : Refusal.writes
            fields["responses"] = .object(documented.merging(responses(refusals)) { own, _ in own })
            operations[method] = .object(fields)
        }
        return .object(operations)
    }

    /// The responses of `refusals`, keyed by status code.
    func responses(_ refusals: [Refusal]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: refusals.map { ($0.rawValue, response($0.description, schema: $0.schema)) })
    }

    /// An optional query parameter; arrays are comma-separated (`style: form`, `explode: false`).
    func queryParameter(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
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

    /// The schema of a list of strings.
    static let stringArray: JSONValue = .object([
        "type": .string("array"), "items": .object(["type": .string("string")]),
    ])

    /// `limit`, `offset`, `fields`, `exclude_fields`, `ordering` and every filter's lookups.
    func listParameters(_ endpoint: EndpointDocumentation) -> [JSONValue] {
        var parameters = [
            queryParameter(
                "limit", .object(["type": .string("integer"), "minimum": .integer(1)]),
                "Number of results to return per page."),
            queryParameter(
                "offset", .object(["type": .string("integer"), "minimum": .integer(0)]),
                "The initial index from which to return the results."),
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

    /// `_list` and, when the endpoint creates, `_create`.
    func collectionOperations(_ endpoint: EndpointDocumentation) -> [String: JSONValue] {
        let prefix = endpoint.operationPrefix
        var operations: [String: JSONValue] = [
            "get": operation(
                prefix + "_list", endpoint, summary: "List \(endpoint.path)", parameters: listParameters(endpoint),
                responses: responses(Refusal.reads).merging([
                    "200": response("A page of results.", schema: "Paginated\(endpoint.schemaName)ResponseList")
                ]) { _, success in success })
        ]
        if endpoint.collectionMethods.contains(.post) {
            operations["post"] = operation(
                prefix + "_create", endpoint, summary: "Create a \(endpoint.schemaName)",
                requestBody: body(endpoint.schemaName),
                responses: responses(Refusal.writes).merging([
                    "201": response("The created object.", schema: endpoint.schemaName + "Response")
                ]) { _, success in success })
        }
        return operations
    }

    /// `_read`, and `_update`, `_partial_update`, `_delete` as the endpoint allows them.
    func itemOperations(_ endpoint: EndpointDocumentation) -> [String: JSONValue] {
        let prefix = endpoint.operationPrefix
        // Changes that run as tasks answer 202 with the task.
        let updated =
            endpoint.changesRunAsTasks
            ? ["202": response("The task that applies the update.", schema: "AsyncOperationResponse")]
            : ["200": response("The updated object.", schema: endpoint.schemaName + "Response")]
        let deleted =
            endpoint.changesRunAsTasks
            ? ["202": response("The task that deletes the object.", schema: "AsyncOperationResponse")]
            : ["204": response("Deleted; no response body.")]
        var operations: [String: JSONValue] = [
            "parameters": .array([itemParameter(endpoint)]),
            "get": operation(
                prefix + "_read", endpoint, summary: "Inspect a \(endpoint.schemaName)",
                parameters: [
                    queryParameter("fields", Self.stringArray, "A list of fields to include in the response."),
                    queryParameter(
                        "exclude_fields", Self.stringArray, "A list of fields to exclude from the response."),
                ],
                responses: responses(Refusal.reads + [.notFound]).merging([
                    "200": response("The object.", schema: endpoint.schemaName + "Response")
                ]) { _, success in success }),
        ]
        if endpoint.itemMethods.contains(.put) {
            operations["put"] = operation(
                prefix + "_update", endpoint, summary: "Update a \(endpoint.schemaName)",
                requestBody: body(endpoint.schemaName),
                responses: responses(Refusal.writes + [.notFound]).merging(updated) { _, success in success })
        }
        if endpoint.itemMethods.contains(.patch) {
            operations["patch"] = operation(
                prefix + "_partial_update", endpoint, summary: "Update a \(endpoint.schemaName) partially",
                requestBody: body("Patched" + endpoint.schemaName),
                responses: responses(Refusal.writes + [.notFound]).merging(updated) { _, success in success })
        }
        if endpoint.itemMethods.contains(.delete) {
            let refusals: [Refusal] = [.unauthenticated, .forbidden, .notFound, .rateLimited, .unavailable]
            operations["delete"] = operation(
                prefix + "_delete", endpoint, summary: "Delete a \(endpoint.schemaName)",
                responses: responses(refusals).merging(deleted) { _, success in success })
        }
        return operations
    }
}
