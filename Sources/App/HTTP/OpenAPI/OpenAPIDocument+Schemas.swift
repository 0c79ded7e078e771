import TandemORM

extension OpenAPIDocument {
    /// The request, patched-request, response and page schemas of an endpoint.
    func addSchemas(of endpoint: EndpointDocumentation, to schemas: inout [String: JSONValue]) {
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

    /// `ErrorResponse` (`{"detail": "..."}`) and `ValidationErrorResponse` (field or parameter
    /// names mapped to lists of messages, or a `detail` when the body is not JSON at all).
    func addErrorSchemas(to schemas: inout [String: JSONValue]) {
        let detail: JSONValue = .object(["type": .string("string")])
        schemas["ErrorResponse"] = .object([
            "type": .string("object"), "required": .array([.string("detail")]),
            "properties": .object(["detail": detail]),
        ])
        schemas["ValidationErrorResponse"] = .object([
            "type": .string("object"), "properties": .object(["detail": detail]),
            "additionalProperties": Self.stringArray,
        ])
    }
}
