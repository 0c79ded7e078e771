import Foundation
import TandemDatabase

/// A group of tasks dispatched together, with a description, per-state counts of its tasks and
/// group progress reports created up front.
///
/// A task in a group finds it through ``current`` and counts its share of the work:
///
/// ```swift
/// let group = try await TaskGroup.create(description: "Import 3 repositories", on: database)
/// try await group.addProgressReport(message: "Repositories imported", code: "import.repos", total: 3)
/// for id in ids { try await queue.dispatch("file.import", arguments: id, group: group.id) }
/// // inside each task:
/// try await TaskGroup.current?.increment("import.repos")
/// ```
///
/// The name follows the reference; where Swift's own `TaskGroup` is meant, write `Swift.TaskGroup`.
public struct TaskGroup: Sendable, Hashable {
    /// The group's identifier.
    public let id: UUID
    let database: Database

    /// The group of the task running in the current Swift task, if it has one.
    @TaskLocal public static var current: TaskGroup?

    /// Refers to an existing group.
    public init(id: UUID, database: Database) {
        self.id = id
        self.database = database
    }

    /// Creates a group.
    public static func create(description: String, on database: Database) async throws -> TaskGroup {
        let id = UUID()
        try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            try connection.execute(
                "INSERT INTO \(TaskTables.group) (pulp_id, description) VALUES (\(p(1)), \(p(2)))",
                [.uuid(id), .text(description)])
        }
        return TaskGroup(id: id, database: database)
    }

    /// Creates a progress report of the group, before its tasks run.
    @discardableResult
    public func addProgressReport(message: String, code: String, total: Int? = nil) async throws -> ProgressReport {
        try await ProgressReport.create(owner: .group(id), message: message, code: code, total: total, on: database)
    }

    /// Adds `count` to the group's report `code`, atomically in the database (`done = done + count`).
    public func increment(_ code: String, by count: Int = 1) async throws {
        try await ProgressReport.increment(owner: .group(id), code: code, by: count, on: database)
    }

    /// Records that every task of the group has been dispatched.
    public func finishDispatching() async throws {
        let id = self.id
        try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            try connection.execute(
                "UPDATE \(TaskTables.group) SET all_tasks_dispatched = \(p(1)) WHERE pulp_id = \(p(2))",
                [.bool(true), .uuid(id)])
        }
    }

    /// Cancels every task of the group that has not ended (see ``TaskQueue/cancel(_:)``).
    public func cancel() async throws {
        let id = self.id
        try await database.transaction { connection in
            try TaskStatements.cancel(
                where: "task_group_id = \(connection.dialect.placeholder(1))", [.uuid(id)], on: connection)
        }
        TaskWakeupBell(url: database.url).ringAfterCommit()
    }

    /// The group's description, its tasks' counts per state and its progress reports.
    ///
    /// - Throws: ``TaskNotFound`` when the group does not exist.
    public func summary() async throws -> TaskGroupSummary {
        let id = self.id
        return try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            guard
                let row = try connection.query(
                    "SELECT description, all_tasks_dispatched FROM \(TaskTables.group) WHERE pulp_id = \(p(1))",
                    [.uuid(id)]
                ).first
            else { throw TaskNotFound(what: "task group \(id.uuidString.lowercased())") }
            var counts = Dictionary(uniqueKeysWithValues: TaskState.allCases.map { ($0, 0) })
            for count in try connection.query(
                "SELECT state, count(*) AS n FROM \(TaskTables.task) WHERE task_group_id = \(p(1)) GROUP BY state",
                [.uuid(id)])
            {
                if let state = TaskState(rawValue: try count.decode(String.self, "state")) {
                    counts[state] = try count.decode(Int.self, "n")
                }
            }
            return TaskGroupSummary(
                id: id, description: try row.decode(String.self, "description"),
                allTasksDispatched: try row.decode(Bool.self, "all_tasks_dispatched"), counts: counts,
                progressReports: try ProgressReport.reports(owner: .group(id), on: connection))
        }
    }

    /// Groups compare by identifier.
    public static func == (lhs: TaskGroup, rhs: TaskGroup) -> Bool { lhs.id == rhs.id }

    /// Hashes the identifier.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A task group as `TaskGroup.summary()` reads it.
public struct TaskGroupSummary: Sendable, Hashable {
    /// The group's identifier.
    public let id: UUID
    /// What the group does.
    public let description: String
    /// Whether every task has been dispatched.
    public let allTasksDispatched: Bool
    /// How many of its tasks are in each state (every state present, 0 when none).
    public let counts: [TaskState: Int]
    /// The group's progress reports, by code.
    public let progressReports: [ProgressReport]
}
