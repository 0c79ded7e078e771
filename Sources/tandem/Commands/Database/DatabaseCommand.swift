import ArgumentParser

/// `tandem db`: commands about the database connection itself.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Check the database connection.",
        subcommands: [CheckCommand.self]
    )
}
