import TandemORM
import TandemTasks

/// The task endpoints in the API document, with Pulp's operation ids (`tasks_list`,
/// `tasks_read`, `tasks_cancel`, `tasks_delete`, `task_groups_list`, `task_groups_read`) and
/// path parameters (`{task_href}`, `{task_group_href}`).
enum TaskDocumentation {
    private static let json = "application/json"

    /// The paths and schemas to add to the document of an API rooted at `apiBase`, with item
    /// paths in `style`.
    static func additions(apiBase: String, pathStyle style: OpenAPIPathStyle) -> (
        paths: [String: JSONValue], schemas: [String: JSONValue]
    ) {
        let (taskPath, taskParameter) = itemPath("task_href", templated: apiBase + "tasks/", style)
        let (groupPath, groupParameter) = itemPath("task_group_href", templated: apiBase + "task-groups/", style)
        let paths: [String: JSONValue] = [
            apiBase + "tasks/": .object([
                "get": operation(
                    "tasks_list", tag: "Tasks", summary: "List tasks",
                    parameters: listParameters(filters: true, ordering: true),
                    responses: ["200": response("A page of tasks.", schema: "PaginatedTaskResponseList")])
            ]),
            taskPath: .object([
                "parameters": .array([taskParameter]),
                "get": operation(
                    "tasks_read", tag: "Tasks", summary: "Inspect a task", parameters: fieldParameters,
                    responses: ["200": response("The task.", schema: "TaskResponse"), "404": notFound]),
                "patch": operation(
                    "tasks_cancel", tag: "Tasks", summary: "Cancel a task",
                    requestBody: .object([
                        "required": .bool(true),
                        "content": .object([json: .object(["schema": reference("PatchedTaskCancel")])]),
                    ]),
                    responses: [
                        "200": response("The task, canceled or canceling.", schema: "TaskResponse"),
                        "400": response("The body asks for something else than canceling."),
                        "404": notFound, "409": response("The task has ended already."),
                    ]),
                "delete": operation(
                    "tasks_delete", tag: "Tasks", summary: "Delete a task",
                    responses: [
                        "204": response("Deleted; no response body."), "404": notFound,
                        "409": response("The task has not ended."),
                    ]),
            ]),
            apiBase + "task-groups/": .object([
                "get": operation(
                    "task_groups_list", tag: "Task Groups", summary: "List task groups",
                    parameters: listParameters(filters: false, ordering: false),
                    responses: ["200": response("A page of task groups.", schema: "PaginatedTaskGroupResponseList")])
            ]),
            groupPath: .object([
                "parameters": .array([groupParameter]),
                "get": operation(
                    "task_groups_read", tag: "Task Groups", summary: "Inspect a task group",
                    parameters: fieldParameters,
                    responses: ["200": response("The task group.", schema: "TaskGroupResponse"), "404": notFound]),
            ]),
        ]
        return (paths, schemas)
    }

    private static let string: JSONValue = .object(["type": .string("string")])
    private static let nullableString: JSONValue = .object(["type": .string("string"), "nullable": .bool(true)])
    private static let integer: JSONValue = .object(["type": .string("integer")])
    private static let stringArray: JSONValue = .object(["type": .string("array"), "items": string])
    private static let notFound = response("No object has this href.")

    private static func object(_ properties: [String: JSONValue]) -> JSONValue {
        .object(["type": .string("object"), "properties": .object(properties)])
    }

    private static func array(of item: JSONValue) -> JSONValue { .object(["type": .string("array"), "items": item]) }

    private static let schemas: [String: JSONValue] = {
        let report = object([
            "message": string, "code": string, "state": string, "total": integer, "done": integer,
            "suffix": nullableString,
        ])
        let task = object([
            "pulp_href": string, "prn": string, "pulp_created": string, "pulp_last_updated": string, "name": string,
            "state": .object([
                "type": .string("string"),
                "enum": .array(
                    ["waiting", "skipped", "running", "completed", "failed", "canceled", "canceling"].map {
                        .string($0)
                    }),
            ]),
            "logging_cid": string, "created_by": nullableString, "unblocked_at": nullableString,
            "started_at": nullableString, "finished_at": nullableString,
            "error": .object(["type": .string("object"), "nullable": .bool(true), "additionalProperties": .object([:])]
            ),
            "worker": nullableString, "parent_task": nullableString, "child_tasks": stringArray,
            "task_group": nullableString, "progress_reports": array(of: report), "created_resources": stringArray,
            "reserved_resources_record": stringArray,
            "result": .object(["nullable": .bool(true)]),
        ])
        var group: [String: JSONValue] = [
            "pulp_href": string, "prn": string, "description": string,
            "all_tasks_dispatched": .object(["type": .string("boolean")]), "skipped": integer,
            "group_progress_reports": array(
                of: object([
                    "message": string, "code": string, "total": integer, "done": integer, "suffix": nullableString,
                ])),
            "tasks": array(of: object(["pulp_href": string, "prn": string, "name": string, "state": string])),
        ]
        for state in ["waiting", "running", "completed", "failed", "canceled", "canceling"] { group[state] = integer }
        return [
            "TaskResponse": task,
            "TaskGroupResponse": object(group),
            "PatchedTaskCancel": .object([
                "type": .string("object"), "required": .array([.string("state")]),
                "properties": .object([
                    "state": .object(["type": .string("string"), "enum": .array([.string("canceled")])])
                ]),
            ]),
            "PaginatedTaskResponseList": page(of: "TaskResponse"),
            "PaginatedTaskGroupResponseList": page(of: "TaskGroupResponse"),
        ]
    }()

    private static func page(of schema: String) -> JSONValue {
        .object([
            "type": .string("object"), "required": .array([.string("count"), .string("results")]),
            "properties": .object([
                "count": integer,
                "next": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                "previous": .object(["type": .string("string"), "nullable": .bool(true), "format": .string("uri")]),
                "results": array(of: reference(schema)),
            ]),
        ])
    }

    private static func reference(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/components/schemas/\(name)")])
    }

    private static func response(_ description: String, schema: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["description": .string(description)]
        if let schema { object["content"] = .object([json: .object(["schema": reference(schema)])]) }
        return .object(object)
    }

    private static func operation(
        _ id: String, tag: String, summary: String, parameters: [JSONValue] = [], requestBody: JSONValue? = nil,
        responses: [String: JSONValue]
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "operationId": .string(id), "summary": .string(summary), "tags": .array([.string(tag)]),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if let requestBody { object["requestBody"] = requestBody }
        return .object(object)
    }

    private static func pathParameter(_ name: String, _ schema: JSONValue = string) -> JSONValue {
        .object(["name": .string(name), "in": .string("path"), "required": .bool(true), "schema": schema])
    }

    /// An item's path and its parameter: Pulp's `{task_href}`, or `<collection>{pulp_id}/`.
    private static func itemPath(_ href: String, templated collection: String, _ style: OpenAPIPathStyle) -> (
        String, JSONValue
    ) {
        switch style {
        case .pulp: ("{\(href)}", pathParameter(href))
        case .templated:
            (
                collection + "{pulp_id}/",
                pathParameter("pulp_id", .object(["type": .string("string"), "format": .string("uuid")]))
            )
        }
    }

    private static func query(_ name: String, _ schema: JSONValue, _ description: String) -> JSONValue {
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

    private static let fieldParameters = [
        query("fields", stringArray, "A list of fields to include in the response."),
        query("exclude_fields", stringArray, "A list of fields to exclude from the response."),
    ]

    private static func listParameters(filters: Bool, ordering: Bool) -> [JSONValue] {
        var parameters =
            [
                query("limit", integer, "Number of results to return per page."),
                query("offset", integer, "The initial index from which to return the results."),
            ] + fieldParameters
        if ordering {
            let choices = TaskOrdering.fields.flatMap { [$0, "-" + $0] }.map { JSONValue.string($0) }
            parameters.append(
                query(
                    "ordering",
                    .object([
                        "type": .string("array"),
                        "items": .object(["type": .string("string"), "enum": .array(choices)]),
                    ]),
                    "Which fields to use when ordering the results."))
        }
        if filters {
            for parameter in TaskListQuery.parameters {
                parameters.append(query(parameter.name, parameter.isList ? stringArray : string, parameter.description))
            }
        }
        return parameters
    }
}
