import Foundation
import HTTPTypes
import Hummingbird
import TandemORM
import TandemTasks

/// Pulp's task endpoints: `tasks/` (list), `tasks/<uuid>/` (show, cancel with
/// `PATCH {"state": "canceled"}`, delete when final), `task-groups/` and `task-groups/<uuid>/`.
struct TaskRoutes: Sendable {
    /// The queue shown.
    let queue: TaskQueue
    /// How tasks and groups are shown.
    let rendering: TaskRendering
    /// Rows per page when the request gives no `limit`, and the largest `limit` honoured.
    let defaultLimit: Int
    let maximumLimit: Int
    /// The largest request body accepted.
    let bodyLimit: Int
    /// Turns an object's href into the resource name its tasks reserve.
    let resource: @Sendable (String) -> ResourceName

    /// Adds the routes to `router`.
    func add(to router: Router<APIRequestContext>) {
        let base = rendering.apiBase
        API.on(router, RouterPath(base + "tasks/"), allowed: [.get]) { request, _ in
            JSONResponse.make(try await listTasks(request))
        }
        API.on(router, RouterPath(base + "tasks/:key/"), allowed: [.get, .patch, .delete]) { request, context in
            let id = try Self.id(context.parameters.get("key"))
            switch request.method {
            case .get:
                return JSONResponse.make(try await show(id))
            case .delete:
                try await delete(id)
                return JSONResponse.noContent()
            default:
                return JSONResponse.make(try await cancel(id, body: try await API.jsonBody(request, limit: bodyLimit)))
            }
        }
        API.on(router, RouterPath(base + "task-groups/"), allowed: [.get]) { request, _ in
            JSONResponse.make(try await listGroups(request))
        }
        API.on(router, RouterPath(base + "task-groups/:key/"), allowed: [.get]) { _, context in
            JSONResponse.make(try await showGroup(try Self.id(context.parameters.get("key"))))
        }
    }

    /// A path's key as a task or group id; 404 when it is not a UUID.
    private static func id(_ key: String?) throws -> UUID {
        guard let key, let id = UUID(uuidString: key) else { throw APIError.notFound }
        return id
    }

    private func baseURL(_ request: Request, _ path: String) -> String {
        "http://\(request.head.authority ?? "localhost")\(rendering.apiBase)\(path)"
    }

    private func listTasks(_ request: Request) async throws -> JSONValue {
        let query = try TaskListQuery(
            QueryParameters(request.uri.query), defaultLimit: defaultLimit, maximumLimit: maximumLimit,
            resource: resource)
        let (count, tasks) = try await queue.tasks(
            matching: query.filter, limit: query.list.limit, offset: query.list.offset)
        let reports = try await queue.progressReports(ofTasks: tasks.map(\.id))
        var results: [JSONValue] = []
        for task in tasks {
            let shown = rendering.task(task, progressReports: reports[task.id] ?? [])
            guard case .object(let object) = shown else { continue }
            results.append(.object(query.list.shape(object)))
        }
        return page(
            count: count, results: results, request: query.list, baseURL: baseURL(request, "tasks/"),
            parameters: request.uri.query)
    }

    private func show(_ id: UUID) async throws -> JSONValue {
        do {
            let task = try await queue.task(id)
            return rendering.task(task, progressReports: try await queue.progressReports(of: id))
        } catch is TaskNotFound {
            throw APIError.notFound
        }
    }

    /// `PATCH {"state": "canceled"}`: 409 when the task has ended already.
    private func cancel(_ id: UUID, body: JSONValue) async throws -> JSONValue {
        guard case .object(let fields) = body, fields["state"] == .string(TaskState.canceled.rawValue) else {
            throw APIError.invalid("The only accepted change is {\"state\": \"canceled\"}.", field: "state")
        }
        let unexpected = fields.keys.filter { $0 != "state" }.sorted()
        if !unexpected.isEmpty {
            var errors = ValidationErrors()
            for field in unexpected { errors.add("Unexpected field.", field: field) }
            throw APIError(errors)
        }
        do {
            let current = try await queue.task(id)
            guard !current.state.isFinal else {
                throw APIError(
                    .conflict, detail: "The task is already \(current.state.rawValue); it cannot be canceled.")
            }
            let task = try await queue.cancel(id)
            return rendering.task(task, progressReports: try await queue.progressReports(of: id))
        } catch is TaskNotFound {
            throw APIError.notFound
        }
    }

    private func delete(_ id: UUID) async throws {
        do {
            try await queue.delete(id)
        } catch is TaskNotFound {
            throw APIError.notFound
        } catch let error as TaskNotFinal {
            throw APIError(
                .conflict, detail: "The task is \(error.state.rawValue); only a task in a final state can be deleted.")
        }
    }

    private func listGroups(_ request: Request) async throws -> JSONValue {
        let list = try ListRequest(
            QueryParameters(request.uri.query), filters: [], orderingFields: [], defaultLimit: defaultLimit,
            maximumLimit: maximumLimit)
        let (count, groups) = try await queue.groups(limit: list.limit, offset: list.offset)
        var results: [JSONValue] = []
        for group in groups {
            guard case .object(let object) = try await render(group) else { continue }
            results.append(.object(list.shape(object)))
        }
        return page(
            count: count, results: results, request: list, baseURL: baseURL(request, "task-groups/"),
            parameters: request.uri.query)
    }

    private func showGroup(_ id: UUID) async throws -> JSONValue {
        do {
            return try await render(try await TaskGroup(id: id, database: queue.database).summary())
        } catch is TaskNotFound {
            throw APIError.notFound
        }
    }

    private func render(_ group: TaskGroupSummary) async throws -> JSONValue {
        var filter = TaskFilter()
        filter.group = group.id
        filter.ordering = [TaskOrdering("pulp_created")!]
        let (_, tasks) = try await queue.tasks(matching: filter, limit: maximumLimit, offset: 0)
        return rendering.group(group, tasks: tasks)
    }
}
