import Foundation
import Hummingbird
import TandemDatabase
import TandemORM
import TandemTasks

/// What `core.general_update` and `core.general_delete` get: the served object by its viewset's
/// path and key, and for an update the request's body (JSON text) and whether it is partial.
struct GeneralChange: Codable, Sendable {
    /// The viewset's path under `api/v3/`: `remotes/file/file`.
    var path: String
    /// The object's key, as in its `pulp_href`.
    var key: String
    /// The update's JSON body; nil for a delete.
    var body: String?
    /// Whether the update is a `PATCH`.
    var partial: Bool?
}

extension API {
    /// The name of the task that updates a served object.
    public static let generalUpdateTask = "core.general_update"
    /// The name of the task that deletes a served object.
    public static let generalDeleteTask = "core.general_delete"

    /// Registers `core.general_update` and `core.general_delete`, which apply an update or a
    /// delete of any object this API serves, as pulpcore's `general_update` and `general_delete`
    /// do. A worker registers them from the same API registrations as the server, so it can
    /// validate and apply a change that the API process left for workers; the task runs on the
    /// database of the process running it.
    public func registerGeneralTasks(in registry: inout TaskRegistry) throws {
        let endpoints = self.endpoints
        let environment = self.environment
        let endpoint: @Sendable (GeneralChange, String) throws -> any Endpoint = { change, task in
            guard let found = endpoints.first(where: { $0.path == change.path && $0.changesRunAsTasks }) else {
                throw TaskArgumentError(task: task, message: "no viewset at '\(change.path)' changes objects in tasks")
            }
            return found
        }
        try registry.register(Self.generalUpdateTask, owner: CoreTasks.owner, arguments: GeneralChange.self) {
            change, context in
            let body = try JSONDecoder().decode(JSONValue.self, from: Data((change.body ?? "{}").utf8))
            try await Self.reporting(Self.generalUpdateTask) {
                _ = try await endpoint(change, Self.generalUpdateTask).update(
                    change.key, with: body, partial: change.partial ?? false, in: environment.on(context.database))
            }
        }
        try registry.register(Self.generalDeleteTask, owner: CoreTasks.owner, arguments: GeneralChange.self) {
            change, context in
            try await Self.reporting(Self.generalDeleteTask) {
                try await endpoint(change, Self.generalDeleteTask).delete(
                    change.key, in: environment.on(context.database))
            }
        }
    }

    /// Runs `body`, turning an ``APIError`` (the object is gone, a field became invalid since the
    /// request) into a task error that carries the API's message.
    private static func reporting(_ task: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as APIError {
            let text = (try? JSONEncoder().encode(error.body)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw TaskArgumentError(task: task, message: "\(error.status.code) \(text)")
        }
    }
}

/// Answers updates and deletes of viewsets whose changes run as tasks: checks what can be
/// checked now (404, 400 for invalid fields, as Pulp does), dispatches the task immediate and
/// deferred with the object reserved exclusively, and answers 202 `{"task": href}`.
struct AsynchronousChanges: Sendable {
    /// The queue the tasks go to.
    let queue: TaskQueue
    /// Names the tasks.
    let rendering: TaskRendering

    /// `PUT` or `PATCH`.
    func update(
        _ endpoint: any Endpoint, key: String, body: JSONValue, partial: Bool, in environment: ServingEnvironment
    ) async throws -> Response {
        try await endpoint.checkUpdate(key, with: body, partial: partial, in: environment)
        let text = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        return try await dispatch(
            API.generalUpdateTask, GeneralChange(path: endpoint.path, key: key, body: text, partial: partial),
            endpoint: endpoint, in: environment)
    }

    /// `DELETE`.
    func delete(_ endpoint: any Endpoint, key: String, in environment: ServingEnvironment) async throws -> Response {
        try await dispatch(
            API.generalDeleteTask, GeneralChange(path: endpoint.path, key: key), endpoint: endpoint, in: environment)
    }

    private func dispatch(
        _ name: String, _ change: GeneralChange, endpoint: any Endpoint, in environment: ServingEnvironment
    ) async throws -> Response {
        let resource = try await endpoint.resourceName(of: change.key, in: environment)
        let task = try await queue.dispatch(
            name, arguments: change, exclusiveResources: [resource], immediate: true, deferred: true)
        return JSONResponse.make(.object(["task": .string(rendering.href(ofTask: task.id))]), status: .accepted)
    }
}

extension ServingEnvironment {
    /// The same environment over another database (a worker's own).
    func on(_ database: Database) -> ServingEnvironment {
        var copy = ServingEnvironment(
            database: database, apiBase: apiBase, paths: paths, defaultLimit: defaultLimit, maximumLimit: maximumLimit)
        copy.tables = tables
        return copy
    }
}
