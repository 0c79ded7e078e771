import ArgumentParser
import TandemDatabase

/// The `tandem` command: the root of the CLI, which only dispatches to subcommands.
///
/// Commands stay thin: they parse arguments, call the libraries and print. Errors leave
/// through ``ExitStatus``, the one place that turns them into DESIGN.md's exit codes.
@main
struct Tandem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Zero-downtime (rolling-upgrade) database migrations for PostgreSQL and SQLite.",
        discussion: """
            Exit codes: 0 done; 1 failed at run time; 2 bad input (usage, invalid file or setting); \
            3 refused for safety.
            """,
        version: tandemVersion,
        subcommands: [
            ChangelogCommand.self, DatabaseCommand.self, DepsCommand.self, LintCommand.self, MigrateCommand.self,
            PluginsCommand.self, ProxyConfigCommand.self, ServeCommand.self, SettingsCommand.self, StatusCommand.self,
            TaskCommand.self, TasksCommand.self, UserCommand.self, WorkerCommand.self,
        ]
    )

    /// Parses the arguments, runs the chosen command and exits with its ``ExitStatus``.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            ExitStatus.exit(reporting: error)
        }
    }
}
