import Foundation
import TandemDatabase

extension TaskQueue {
    /// One page of the tasks `filter` selects, in its order (newest first by default), with the
    /// number of tasks it selects in all.
    public func tasks(matching filter: TaskFilter, limit: Int, offset: Int) async throws -> (
        count: Int, tasks: [TaskRecord]
    ) {
        try await database.withConnection { connection in
            let dialect = connection.dialect
            let (condition, values) = try filter.sql(dialect)
            let count =
                try connection.query("SELECT count(*) FROM \(TaskTables.task) \(condition)", values)
                .first?.decode(Int.self, at: 0) ?? 0
            let order = (filter.ordering.map(\.sql) + ["id DESC"]).joined(separator: ", ")
            let page = values + [.integer(Int64(limit)), .integer(Int64(offset))]
            let rows = try connection.query(
                """
                SELECT \(TaskRecord.columns) FROM \(TaskTables.task) \(condition) ORDER BY \(order)
                LIMIT \(dialect.placeholder(values.count + 1)) OFFSET \(dialect.placeholder(values.count + 2))
                """, page)
            return (count, try rows.map(TaskRecord.init(row:)))
        }
    }

    /// The progress reports of a task, by code.
    public func progressReports(of id: UUID) async throws -> [ProgressReport] {
        try await database.withConnection { try ProgressReport.reports(owner: .task(id), on: $0) }
    }

    /// The progress reports of each of the tasks `ids`, by code, read together (a page of a task
    /// list); a task without reports has no entry.
    public func progressReports(ofTasks ids: [UUID]) async throws -> [UUID: [ProgressReport]] {
        try await database.withConnection { try ProgressReport.reports(ofTasks: ids, on: $0) }
    }

    /// Deletes a task in a final state, with its progress reports.
    ///
    /// - Throws: ``TaskNotFound``, or ``TaskNotFinal`` (nothing deleted) while it is waiting,
    ///   running or canceling.
    public func delete(_ id: UUID) async throws {
        let deleted = try await database.transaction { connection -> TaskState? in
            let p = connection.dialect.placeholder
            guard let state = try TaskStatements.state(id, on: connection) else { return nil }
            guard state.isFinal else { return state }
            try connection.execute(
                """
                DELETE FROM \(TaskTables.task) WHERE pulp_id = \(p(1))
                AND state IN ('\(TaskState.completed.rawValue)', '\(TaskState.failed.rawValue)', '\(TaskState.canceled.rawValue)')
                """, [.uuid(id)])
            return state
        }
        guard let deleted else { throw TaskNotFound(what: "task \(id.uuidString.lowercased())") }
        guard deleted.isFinal else { throw TaskNotFinal(id: id, state: deleted) }
    }

    /// One page of task groups, newest first, with how many there are.
    public func groups(limit: Int, offset: Int) async throws -> (count: Int, groups: [TaskGroupSummary]) {
        let (count, ids) = try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            let count = try connection.query("SELECT count(*) FROM \(TaskTables.group)").first?.decode(Int.self, at: 0)
            let ids = try connection.query(
                "SELECT pulp_id FROM \(TaskTables.group) ORDER BY pulp_created DESC, pulp_id LIMIT \(p(1)) OFFSET \(p(2))",
                [.integer(Int64(limit)), .integer(Int64(offset))]
            ).map { try $0.decode(UUID.self, at: 0) }
            return (count ?? 0, ids)
        }
        var groups: [TaskGroupSummary] = []
        for id in ids {
            // A group deleted between the two reads is left out of the page.
            do {
                groups.append(try await TaskGroup(id: id, database: database).summary())
            } catch is TaskNotFound {}
        }
        return (count, groups)
    }
}

/// A task that has not ended cannot be deleted (HTTP 409).
public struct TaskNotFinal: Error, Sendable, CustomStringConvertible {
    /// The task.
    public let id: UUID
    /// Its state.
    public let state: TaskState
    /// `task 1234… is running, not in a final state`.
    public var description: String {
        "task \(id.uuidString.lowercased()) is \(state.rawValue), not in a final state"
    }
}
