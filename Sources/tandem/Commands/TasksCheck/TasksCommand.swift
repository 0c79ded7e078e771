import ArgumentParser
import Foundation
import TandemTasks

/// `tandem tasks check`: CI's check that released tasks still accept what older releases dispatch.
struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Checks about the application's tasks, for CI.",
        subcommands: [TasksCheckCommand.self])
}

/// `tandem tasks check [--record FILE] [--update]`.
struct TasksCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare registered tasks with the committed record of released ones.",
        discussion: """
            Exit 1, naming each task and change, when a released task is gone or its arguments changed \
            incompatibly (an argument removed, renamed, retyped or newly required) while its plugin's \
            major version stayed the same. --update rewrites the record from the registered tasks, as \
            a release does. Needs no database.
            """
    )

    @Option(help: ArgumentHelp("The record of released tasks.", valueName: "file"))
    var record = "released-tasks.json"

    @Flag(help: "Write the record from the registered tasks instead of checking.")
    var update = false

    func run() throws {
        let url = URL(fileURLWithPath: record)
        let registry = try TaskEnvironment.checkedRegistry()
        let current = ReleasedTasks(registry: registry)
        if update {
            try Data(try current.json().utf8).write(to: url)
            print("recorded \(current.tasks.count) task(s) in \(record)")
            return
        }
        let released = try ReleasedTasks(contentsOf: url)
        let problems = released.incompatibilities(with: registry)
        guard problems.isEmpty else { throw IncompatibleTasks(problems: problems) }
        let added = Set(current.tasks.keys).subtracting(released.tasks.keys).sorted()
        print(
            "\(released.tasks.count) released task(s) compatible"
                + (added.isEmpty ? "" : "; not released yet: \(added.joined(separator: ", "))"))
    }
}

/// Released tasks changed incompatibly (exit code 1).
struct IncompatibleTasks: Error, CustomStringConvertible {
    let problems: [String]
    var description: String { problems.joined(separator: "\n") }
}
