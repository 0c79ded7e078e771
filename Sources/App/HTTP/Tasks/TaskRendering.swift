import Foundation
import TandemORM
import TandemTasks

/// Tasks and task groups as Pulp's API shows them (`TaskResponse`, `TaskGroupResponse`).
struct TaskRendering: Sendable {
    /// The absolute path of the API's v3 root, `/pulp/api/v3/`.
    let apiBase: String

    /// `/pulp/api/v3/tasks/<uuid>/`.
    func href(ofTask id: UUID) -> String { apiBase + "tasks/\(id.uuidString.lowercased())/" }

    /// `/pulp/api/v3/task-groups/<uuid>/`.
    func href(ofGroup id: UUID) -> String { apiBase + "task-groups/\(id.uuidString.lowercased())/" }

    /// A task with its progress reports. Tandem does not record created resources, results,
    /// parent tasks or correlation ids of tasks: those fields are empty.
    func task(_ task: TaskRecord, progressReports: [ProgressReport]) -> JSONValue {
        let error: JSONValue = task.error.map { .object(["description": .string($0)]) } ?? .null
        let record = task.exclusiveResources.map(\.value) + task.sharedResources.map { "shared:" + $0.value }
        let reports = progressReports.map { report -> JSONValue in
            .object([
                "message": .string(report.message), "code": .string(report.code),
                "state": .string(task.state.rawValue), "total": report.total.map { .integer(Int64($0)) } ?? .null,
                "done": .integer(Int64(report.done)), "suffix": .null,
            ])
        }
        return .object([
            "pulp_href": .string(href(ofTask: task.id)),
            "prn": .string("prn:core.task:\(task.id.uuidString.lowercased())"),
            "pulp_created": time(task.created),
            "pulp_last_updated": time(task.finishedAt ?? task.startedAt ?? task.created),
            "name": .string(task.name),
            "state": .string(task.state.rawValue),
            "logging_cid": .string(""),
            "created_by": .null,
            "unblocked_at": .null,
            "started_at": task.startedAt.map(time) ?? .null,
            "finished_at": task.finishedAt.map(time) ?? .null,
            "error": error,
            "worker": task.worker.map(JSONValue.string) ?? .null,
            "parent_task": .null,
            "child_tasks": .array([]),
            "task_group": task.groupID.map { .string(href(ofGroup: $0)) } ?? .null,
            "progress_reports": .array(reports),
            "created_resources": .array([]),
            "reserved_resources_record": .array(record.map(JSONValue.string)),
            "result": .null,
        ])
    }

    /// A task group with its per-state counts, its progress reports and its tasks in brief.
    func group(_ summary: TaskGroupSummary, tasks: [TaskRecord]) -> JSONValue {
        var object: [String: JSONValue] = [
            "pulp_href": .string(href(ofGroup: summary.id)),
            "prn": .string("prn:core.taskgroup:\(summary.id.uuidString.lowercased())"),
            "description": .string(summary.description),
            "all_tasks_dispatched": .bool(summary.allTasksDispatched),
            "skipped": .integer(0),
            "group_progress_reports": .array(
                summary.progressReports.map { report in
                    .object([
                        "message": .string(report.message), "code": .string(report.code),
                        "total": report.total.map { .integer(Int64($0)) } ?? .null,
                        "done": .integer(Int64(report.done)), "suffix": .null,
                    ])
                }),
            "tasks": .array(
                tasks.map { task in
                    .object([
                        "pulp_href": .string(href(ofTask: task.id)),
                        "prn": .string("prn:core.task:\(task.id.uuidString.lowercased())"),
                        "name": .string(task.name), "state": .string(task.state.rawValue),
                    ])
                }),
        ]
        for state in TaskState.allCases { object[state.rawValue] = .integer(Int64(summary.counts[state] ?? 0)) }
        return .object(object)
    }

    private func time(_ date: Date) -> JSONValue {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
