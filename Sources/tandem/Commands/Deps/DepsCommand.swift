import ArgumentParser

/// `tandem deps check`: dependency bounds.
struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Check the package's dependency declarations.",
        subcommands: [DepsCheckCommand.self]
    )
}
