import Foundation
import TandemDatabase

/// A task as stored in `core_task`.
public struct TaskRecord: Sendable, Hashable, Codable {
    /// The task's identifier.
    public let id: UUID
    /// When it was dispatched, by the database's clock.
    public let created: Date
    /// Its registered name.
    public let name: String
    /// Where it is in its life.
    public let state: TaskState
    /// Its arguments, as the JSON text given to dispatch.
    public let arguments: String
    /// The versions of the plugins that own it, when it was dispatched.
    public let versions: [String: String]
    /// Resources it reserves for modifying access.
    public let exclusiveResources: [ResourceName]
    /// Resources it reserves for read-only access.
    public let sharedResources: [ResourceName]
    /// Whether the dispatching process was asked to run it at once.
    public let immediate: Bool
    /// Whether workers may run it.
    public let deferred: Bool
    /// The group it belongs to.
    public let groupID: UUID?
    /// The worker (or process) that runs or ran it.
    public let worker: String?
    /// When it started running.
    public let startedAt: Date?
    /// When it reached its final state.
    public let finishedAt: Date?
    /// Why it failed or was canceled.
    public let error: String?

    /// The columns read into a record, in this order.
    static let columns =
        "pulp_id, pulp_created, name, state, args, versions, exclusive_resources, shared_resources, immediate, "
        + "deferred, task_group_id, worker, started_at, finished_at, error"

    init(row: Row) throws {
        id = try row.decode(UUID.self, "pulp_id")
        created = try row.decode(Date.self, "pulp_created")
        name = try row.decode(String.self, "name")
        let stateText = try row.decode(String.self, "state")
        guard let state = TaskState(rawValue: stateText) else {
            throw DatabaseError(
                kind: .decoding, dialect: nil, code: nil, message: "core_task.state holds an unknown state")
        }
        self.state = state
        arguments = try row.decode(String.self, "args")
        versions = try JSONCoding.decode([String: String].self, try row.decode(String.self, "versions"))
        exclusiveResources = try JSONCoding.decode(
            [ResourceName].self, try row.decode(String.self, "exclusive_resources"))
        sharedResources = try JSONCoding.decode([ResourceName].self, try row.decode(String.self, "shared_resources"))
        immediate = try row.decode(Bool.self, "immediate")
        deferred = try row.decode(Bool.self, "deferred")
        groupID = try row.decode(UUID?.self, "task_group_id")
        worker = try row.decode(String?.self, "worker")
        startedAt = try row.decode(Date?.self, "started_at")
        finishedAt = try row.decode(Date?.self, "finished_at")
        error = try row.decode(String?.self, "error")
    }
}

/// JSON text in and out of text columns.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
