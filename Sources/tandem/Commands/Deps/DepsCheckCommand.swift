import ArgumentParser
import Foundation
import TandemCITools

/// `tandem deps check [--package PATH] [--resolved FILE]`.
struct DepsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that every dependency declares LOWEST...NEWEST-TESTED.",
        discussion: """
            Reads Package.swift through `swift package dump-package`, and its comments with \
            SwiftParser. The newest tested release of each dependency is its version in the CI \
            build's Package.resolved. Fails when an upper bound is only implied (from:, \
            .upToNextMajor, .upToNextMinor), admits releases after the tested one, or when a \
            dependency is an exact pin without a comment giving the reason, or follows a branch or \
            revision. Exit codes: 0 clean; 1 problems; 2 bad input (no Package.resolved, a manifest \
            that does not load).
            """
    )

    @OptionGroup var package: PackageOption

    @Option(name: .long, help: "The Package.resolved of the CI build (default: the package's own).")
    var resolved: String?

    func run() async throws {
        let resolvedURL = resolved.map { URL(fileURLWithPath: $0) }
        let check = try await CIReport.inputErrors {
            try await DependencyCheck.load(packageRoot: package.root, resolvedFile: resolvedURL)
        }
        try CIReport.finish(check.findings(), what: "deps check")
    }
}
