import ArgumentParser

/// `tandem task dispatch|list|show`: the operators' view of tasks.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Dispatch and inspect tasks (core.noop, core.sleep check that workers serve).",
        subcommands: [TaskDispatchCommand.self, TaskListCommand.self, TaskShowCommand.self]
    )
}
