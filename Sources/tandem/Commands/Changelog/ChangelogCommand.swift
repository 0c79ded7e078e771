import ArgumentParser

/// `tandem changelog check|build`: CHANGES/ fragments against the package's deprecated API, and
/// the release notes.
struct ChangelogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changelog",
        abstract: "Check change fragments against deprecated and removed public API; build release notes.",
        subcommands: [ChangelogCheckCommand.self, ChangelogBuildCommand.self]
    )
}
