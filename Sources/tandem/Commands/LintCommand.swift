import ArgumentParser
import TandemApp
import TandemMigrations

/// `tandem lint [PATH...]`: checks migration files without a database.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check migration files without a database.",
        discussion: """
            Prints each problem as `path:line: error: …` or `path:line: warning: …`, then a summary. \
            Exit codes: 0 when there are only warnings (or nothing); 2 when there is an error.
            """
    )

    @Argument(
        help:
            "Migration files, component folders or migrations folders (default: the --migrations folder, else the application's plugins' migrations)."
    )
    var paths: [String] = []

    @Option(
        name: .long,
        help: "The migrations folder, used when no path is given (default: the application's plugins' migrations).")
    var migrations: String?

    func run() throws {
        let report: LintReport
        if !paths.isEmpty {
            report = Lint.run(paths: paths)
        } else if let migrations {
            report = Lint.run(paths: [migrations])
        } else {
            report = try ExampleApplication.assemble().lintMigrations()
        }
        for finding in report.findings { print(finding) }
        let files = report.set.map { "\($0.migrations.count) migration(s) checked, " } ?? ""
        let summary = "\(files)\(report.errors.count) error(s), \(report.warnings.count) warning(s)"
        guard report.hasErrors else {
            print(summary)
            return
        }
        throw LintFailure(summary: summary)
    }
}

/// `tandem lint` found an error: exit code 2 (bad input), after printing every finding.
struct LintFailure: Error, CustomStringConvertible {
    /// The counts line.
    let summary: String

    var description: String { summary }
}
