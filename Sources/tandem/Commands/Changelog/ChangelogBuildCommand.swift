import ArgumentParser
import Foundation
import TandemCITools

/// `tandem changelog build --version V [--package PATH] [--date YYYY-MM-DD]`.
struct ChangelogBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Gather the fragments into a release section of CHANGES.md, record the API, remove the fragments.",
        discussion: """
            Runs `changelog check` first and writes nothing unless it is clean. V must be the \
            VERSION file's version. Writes the section (towncrier's Markdown layout: the package's \
            changes by type, then the plugin API's) below the towncrier start marker of CHANGES.md, \
            records the public API as api/V.json (commit it: later checks compare against it), and \
            deletes the fragments. Exit codes: 0 built; 1 the check found problems; 2 bad input.
            """
    )

    @OptionGroup var package: PackageOption

    @Option(name: .long, help: "The release: must equal the VERSION file.")
    var version: String

    @Option(name: .long, help: "The release date, YYYY-MM-DD (default: today, UTC).")
    var date: String?

    func run() throws {
        let date = self.date ?? Date.now.formatted(.iso8601.year().month().day())
        let result: ReleaseBuilder.Result
        do {
            result = try CIReport.inputErrors {
                try ReleaseBuilder.build(packageRoot: package.root, version: version, date: date)
            }
        } catch let failure as ChangelogCheckFailure {
            try CIReport.finish(failure.findings, what: "changelog check")
            return
        }
        print("\(ReleaseBuilder.changelogFile): added \(result.notes.title)")
        print("\(result.recordPath): recorded the public API")
        for path in result.removedFragments { print("\(path): removed") }
    }
}
