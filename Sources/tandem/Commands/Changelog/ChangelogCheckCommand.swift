import ArgumentParser
import Foundation
import TandemCITools

/// `tandem changelog check [--package PATH]`.
struct ChangelogCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check CHANGES/ against the package's deprecated and removed public symbols.",
        discussion: """
            Reads the Swift sources under Sources/ with SwiftParser. Fails when a deprecated public \
            symbol has no deprecation fragment naming it, when VERSION has reached the release its \
            deprecation names for the removal, or when a symbol of the last release's api/<version>.json \
            is gone without a removal fragment (or without a deprecation first, in the same major \
            version). Prints each problem as `path:line: error: …`. Exit codes: 0 clean; 1 problems; \
            2 bad input (a fragment name or type, a deprecation message without 'removed in \
            <component> <version>', a missing VERSION).
            """
    )

    @OptionGroup var package: PackageOption

    func run() throws {
        let findings = try CIReport.inputErrors { try ChangelogCheck(packageRoot: package.root).findings() }
        try CIReport.finish(findings, what: "changelog check")
    }
}
