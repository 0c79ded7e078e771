import TandemApp
import TandemORM

extension RepositoryVersionRoutes {
    /// The routes in the API document, as Pulp names them: `repositories_file_file_versions_list`
    /// at `{file_file_repository_href}versions/`, `..._versions_read` at
    /// `{file_file_repository_version_href}` and `repositories_file_file_sync` at
    /// `{file_file_repository_href}sync/`.
    /// In the templated style (`api.json?strict`) the same operations sit at
    /// `<api base><repository path>/{pulp_id}/versions/`, `…/versions/{number}/` and `…/sync/`.
    func documentation(apiBase: String, pathStyle style: OpenAPIPathStyle) -> (
        paths: [String: JSONValue], schemas: [String: JSONValue]
    ) {
        let parts = repositoryPath.split(separator: "/").map(String.init)
        let stem = (Array(parts.dropFirst()) + [EndpointDocumentation.singular(parts[0])]).joined(separator: "_")
        let repositoryHref = stem + "_href"
        let versionHref = stem + "_version_href"
        let tag = ViewSet<Content>.defaultTag(for: repositoryPath) + " Versions"
        let string: JSONValue = .object(["type": .string("string")])
        let stringArray: JSONValue = .object([
            "type": .string("array"), "items": string,
        ])
        func parameter(_ name: String, in location: String, _ schema: JSONValue, _ description: String) -> JSONValue {
            var object: [String: JSONValue] = [
                "name": .string(name), "in": .string(location), "required": .bool(location == "path"),
                "schema": schema, "description": .string(description),
            ]
            if schema == stringArray {
                object["style"] = .string("form")
                object["explode"] = .bool(false)
            }
            return .object(object)
        }
        func reference(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }
        func response(_ description: String, _ schema: String? = nil) -> JSONValue {
            var object: [String: JSONValue] = ["description": .string(description)]
            if let schema {
                object["content"] = .object(["application/json": .object(["schema": reference(schema)])])
            }
            return .object(object)
        }
        let fields = [
            parameter("fields", in: "query", stringArray, "A list of fields to include in the response."),
            parameter("exclude_fields", in: "query", stringArray, "A list of fields to exclude from the response."),
        ]
        let integer: JSONValue = .object(["type": .string("integer")])
        let uuid: JSONValue = .object(["type": .string("string"), "format": .string("uuid")])
        let repository: (path: String, parameters: [JSONValue])
        let version: (path: String, parameters: [JSONValue])
        switch style {
        case .pulp:
            repository = (
                "{\(repositoryHref)}", [parameter(repositoryHref, in: "path", string, "The repository's href.")]
            )
            version = (
                "{\(versionHref)}", [parameter(versionHref, in: "path", string, "The repository version's href.")]
            )
        case .templated:
            let key = parameter("pulp_id", in: "path", uuid, "The repository's key.")
            repository = (apiBase + repositoryPath + "/{pulp_id}/", [key])
            version = (
                repository.path + "versions/{number}/",
                [key, parameter("number", in: "path", integer, "The version's number.")]
            )
        }
        let paths: [String: JSONValue] = [
            repository.path + "versions/": .object([
                "parameters": .array(repository.parameters),
                "get": .object([
                    "operationId": .string(operationPrefix + "_versions_list"), "tags": .array([.string(tag)]),
                    "summary": .string("List repository versions"),
                    "parameters": .array(
                        [
                            parameter("limit", in: "query", integer, "Number of results to return per page."),
                            parameter(
                                "offset", in: "query", integer, "The initial index from which to return the results."),
                        ] + fields),
                    "responses": .object([
                        "200": response("A page of versions, newest first.", "PaginatedRepositoryVersionResponseList"),
                        "404": response("No repository has this href."),
                    ]),
                ]),
            ]),
            version.path: .object([
                "parameters": .array(version.parameters),
                "get": .object([
                    "operationId": .string(operationPrefix + "_versions_read"), "tags": .array([.string(tag)]),
                    "summary": .string("Inspect a repository version"), "parameters": .array(fields),
                    "responses": .object([
                        "200": response("The version.", "RepositoryVersionResponse"),
                        "404": response("No complete version has this href."),
                    ]),
                ]),
            ]),
            repository.path + "sync/": .object([
                "parameters": .array(repository.parameters),
                "post": .object([
                    "operationId": .string(operationPrefix + "_sync"),
                    "tags": .array([.string(ViewSet<Content>.defaultTag(for: repositoryPath))]),
                    "summary": .string("Sync from a remote"),
                    "requestBody": .object([
                        "required": .bool(true),
                        "content": .object(["application/json": .object(["schema": reference("RepositorySyncURL")])]),
                    ]),
                    "responses": .object([
                        "202": response("The sync task.", "AsyncOperationResponse"),
                        "400": response("Invalid fields: each field name maps to a list of messages."),
                        "404": response("No repository has this href."),
                    ]),
                ]),
            ]),
        ]
        let summary: JSONValue = .object(["type": .string("object"), "additionalProperties": .object([:])])
        let schemas: [String: JSONValue] = [
            "RepositorySyncURL": .object([
                "type": .string("object"),
                "properties": .object([
                    "remote": .object(["type": .string("string"), "format": .string("uri-reference")]),
                    "mirror": .object(["type": .string("boolean"), "default": .bool(false)]),
                ]),
            ]),
            "RepositoryVersionResponse": .object([
                "type": .string("object"),
                "properties": .object([
                    "pulp_href": string, "prn": string, "pulp_created": string, "pulp_last_updated": string,
                    "number": integer, "repository": string,
                    "base_version": .object(["type": .string("string"), "nullable": .bool(true)]),
                    "content_summary": .object([
                        "type": .string("object"),
                        "properties": .object(["added": summary, "removed": summary, "present": summary]),
                    ]),
                ]),
            ]),
            "PaginatedRepositoryVersionResponseList": .object([
                "type": .string("object"), "required": .array([.string("count"), .string("results")]),
                "properties": .object([
                    "count": integer,
                    "next": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                    "previous": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                    "results": .object(["type": .string("array"), "items": reference("RepositoryVersionResponse")]),
                ]),
            ]),
        ]
        return (paths, schemas)
    }
}
