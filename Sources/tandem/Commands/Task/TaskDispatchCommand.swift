import ArgumentParser
import Foundation
import TandemTasks

/// `tandem task dispatch NAME [--args JSON] [--exclusive R]... [--shared R]... [--immediate] [--no-deferred]`.
struct TaskDispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Dispatch a task by name.",
        discussion: """
            Prints the task's id and state. With --immediate the task runs in this process when its \
            resources are free (within TANDEM_IMMEDIATE_TASK_TIME_LIMIT seconds); otherwise it is left \
            for workers, or canceled with --no-deferred. When the database is busy or unreachable as \
            an immediate task ends, the command waits until it can record the end. Exit 1 when an \
            immediate task failed or was canceled; 2 for an unknown task or invalid arguments \
            (nothing stored).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The task's registered name, such as core.noop or core.sleep.")
    var name: String

    @Option(name: .customLong("args"), help: ArgumentHelp("The arguments as a JSON object.", valueName: "json"))
    var arguments = "{}"

    @Option(
        name: .customLong("exclusive"), help: ArgumentHelp("A resource to reserve exclusively.", valueName: "resource"))
    var exclusive: [String] = []

    @Option(name: .customLong("shared"), help: ArgumentHelp("A resource to reserve shared.", valueName: "resource"))
    var shared: [String] = []

    @Flag(help: "Run the task in this process now when its resources are free.")
    var immediate = false

    @Flag(name: .customLong("no-deferred"), help: "Never leave the task for workers (needs --immediate).")
    var noDeferred = false

    @Flag(name: .long, help: "Print the task as JSON.")
    var json = false

    func run() async throws {
        let database = try self.database.open()
        defer { database.close() }
        let queue = try TaskEnvironment.queue(database)
        var task = try await queue.dispatch(
            name, argumentsJSON: Data(arguments.utf8), exclusiveResources: exclusive.map { ResourceName($0) },
            sharedResources: shared.map { ResourceName($0) }, immediate: immediate, deferred: !noDeferred)
        if task.state == .running {
            // An immediate task whose end the database could not take yet: this process records it
            // before it exits, and prints the state recorded.
            await queue.waitForEndsBeingRecorded()
            task = try await queue.task(task.id)
        }
        print(
            json
                ? try TaskPrinter.json(TaskPrinter.object(task))
                : "\(task.id.uuidString.lowercased()) \(task.state.rawValue)")
        if task.state == .failed || task.state == .canceled {
            throw TaskEndedBadly(task: task)
        }
    }
}

/// An immediate task dispatched from the CLI failed or was canceled (exit code 1).
struct TaskEndedBadly: Error, CustomStringConvertible {
    let task: TaskRecord
    var description: String {
        "task \(task.id.uuidString.lowercased()) \(task.state.rawValue): \(task.error ?? "no reason recorded")"
    }
}
