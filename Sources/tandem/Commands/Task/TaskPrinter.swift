import Foundation
import TandemDatabase
import TandemTasks

/// How `tandem task` prints tasks: a table for people, JSON for scripts. The JSON keys are a
/// contract: id, name, state, created, started_at, finished_at, worker, arguments, versions,
/// exclusive_resources, shared_resources, immediate, deferred, group, error.
enum TaskPrinter {
    static func object(_ task: TaskRecord) -> [String: Any] {
        let arguments =
            (try? JSONSerialization.jsonObject(with: Data(task.arguments.utf8), options: [.fragmentsAllowed]))
        return [
            "id": task.id.uuidString.lowercased(), "name": task.name, "state": task.state.rawValue,
            "created": TimestampFormat.string(from: task.created),
            "started_at": task.startedAt.map(TimestampFormat.string(from:)) ?? NSNull(),
            "finished_at": task.finishedAt.map(TimestampFormat.string(from:)) ?? NSNull(),
            "worker": task.worker ?? NSNull(), "arguments": arguments ?? NSNull(), "versions": task.versions,
            "exclusive_resources": task.exclusiveResources.map(\.value),
            "shared_resources": task.sharedResources.map(\.value), "immediate": task.immediate,
            "deferred": task.deferred, "group": task.groupID?.uuidString.lowercased() ?? NSNull(),
            "error": task.error ?? NSNull(),
        ]
    }

    static func json(_ value: Any) throws -> String {
        String(
            decoding: try JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
    }

    static func table(_ tasks: [TaskRecord]) -> String {
        let rows =
            [["ID", "NAME", "STATE", "CREATED", "WORKER"]]
            + tasks.map {
                [
                    $0.id.uuidString.lowercased(), $0.name, $0.state.rawValue, TimestampFormat.string(from: $0.created),
                    $0.worker ?? "-",
                ]
            }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                separator: "  "
            )
            .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    static func detail(_ task: TaskRecord) -> String {
        var lines = [
            "id: \(task.id.uuidString.lowercased())", "name: \(task.name)", "state: \(task.state.rawValue)",
            "arguments: \(task.arguments)",
            "versions: \(task.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            "exclusive resources: \(task.exclusiveResources.map(\.value).joined(separator: ", "))",
            "shared resources: \(task.sharedResources.map(\.value).joined(separator: ", "))",
            "created: \(TimestampFormat.string(from: task.created))",
        ]
        if let started = task.startedAt { lines.append("started: \(TimestampFormat.string(from: started))") }
        if let finished = task.finishedAt { lines.append("finished: \(TimestampFormat.string(from: finished))") }
        if let worker = task.worker { lines.append("worker: \(worker)") }
        if let error = task.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
