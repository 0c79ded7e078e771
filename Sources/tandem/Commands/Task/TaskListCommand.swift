import ArgumentParser
import Foundation
import TandemTasks

/// `tandem task list [--state S]... [--limit N] [--json]`.
struct TaskListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List tasks, newest first.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Only tasks in this state (repeatable).", valueName: "state"))
    var state: [String] = []

    @Option(help: "At most this many tasks.")
    var limit = 100

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    func validate() throws {
        for name in state where TaskState(rawValue: name) == nil {
            throw ValidationError(
                "--state '\(name)' is not one of \(TaskState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let database = try self.database.open()
        defer { database.close() }
        let tasks = try await TaskEnvironment.queue(database).tasks(
            states: state.compactMap(TaskState.init(rawValue:)), limit: limit)
        print(json ? try TaskPrinter.json(tasks.map(TaskPrinter.object)) : TaskPrinter.table(tasks))
    }
}

/// `tandem task show ID [--json]`.
struct TaskShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one task.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The task's id.")
    var id: String

    @Flag(name: .long, help: "Print a JSON object.")
    var json = false

    func validate() throws {
        guard UUID(uuidString: id) != nil else { throw ValidationError("'\(id)' is not a task id (a UUID)") }
    }

    func run() async throws {
        let database = try self.database.open()
        defer { database.close() }
        let task = try await TaskEnvironment.queue(database).task(UUID(uuidString: id)!)
        print(json ? try TaskPrinter.json(TaskPrinter.object(task)) : TaskPrinter.detail(task))
    }
}
