import Foundation
import TandemMigrations

/// `tandem changelog build --version V`: releases the package's fragments.
///
/// After a clean ``ChangelogCheck``, writes the release's section into `CHANGES.md` below
/// towncrier's start marker, records the public API as `api/<V>.json`, and deletes the fragments.
public enum ReleaseBuilder {
    /// The changelog file, relative to the package root.
    public static let changelogFile = "CHANGES.md"

    /// What a build wrote.
    public struct Result: Sendable {
        /// The section added to `CHANGES.md`.
        public let notes: ReleaseNotes
        /// The API record written, relative to the package root.
        public let recordPath: String
        /// The fragments deleted, relative to the package root.
        public let removedFragments: [String]
    }

    /// Builds the release `version` dated `date` (`YYYY-MM-DD`).
    ///
    /// Throws ``CheckInputError`` (exit 2) when `version` is not the `VERSION` file's, when the
    /// release is already in `CHANGES.md`, or when `CHANGES.md` lacks the marker; and
    /// ``ChangelogCheckFailure`` (exit 1) when the check finds problems. Writes nothing then.
    /// Writes the API record, then `CHANGES.md`, then deletes the fragments: a build stopped
    /// before `CHANGES.md` is written can simply be run again.
    public static func build(packageRoot: URL, version: String, date: String) throws -> Result {
        let check = try ChangelogCheck(packageRoot: packageRoot)
        guard let requested = SemanticVersion(version) else {
            throw CheckInputError(file: "--version", "invalid version '\(version)' (expected MAJOR.MINOR.PATCH)")
        }
        guard requested == check.package.version else {
            throw CheckInputError(
                file: PackageIdentity.versionFile,
                "says \(check.package.version), but --version is \(requested): set \(PackageIdentity.versionFile) to the release first"
            )
        }
        guard date.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else {
            throw CheckInputError(file: "--date", "invalid date '\(date)' (expected YYYY-MM-DD)")
        }
        let findings = check.findings()
        guard findings.isEmpty else { throw ChangelogCheckFailure(findings: findings) }

        // The record of a build that stopped before writing CHANGES.md is written again: only the
        // release in CHANGES.md says it was built.
        let recordPath = APIRecord.path(for: requested)
        let recordURL = packageRoot.appending(path: recordPath)
        let notes = ReleaseNotes(
            name: check.package.name, version: requested.description, date: date, fragments: check.fragments)
        let changelogURL = packageRoot.appending(path: changelogFile)
        let existing =
            (try? String(contentsOf: changelogURL, encoding: .utf8)) ?? "# Changelog\n\n\(ReleaseNotes.startMarker)\n"
        guard let marker = existing.range(of: ReleaseNotes.startMarker + "\n") else {
            throw CheckInputError(
                file: changelogFile, "has no line '\(ReleaseNotes.startMarker)' to insert the release below")
        }
        if existing.split(separator: "\n").contains(where: { $0.hasPrefix("# \(check.package.name) \(requested) (") }) {
            throw CheckInputError(file: changelogFile, "already has release \(requested)")
        }
        let before = String(existing[..<marker.upperBound])
        let after = String(existing[marker.upperBound...].drop { $0 == "\n" })
        let updated = before + "\n" + notes.markdown + after

        try FileManager.default.createDirectory(
            at: recordURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try APIRecord(version: requested, symbols: check.symbols).json().write(to: recordURL, options: .atomic)
        try Data(updated.utf8).write(to: changelogURL, options: .atomic)
        for fragment in check.fragments {
            try FileManager.default.removeItem(at: packageRoot.appending(path: fragment.path))
        }
        return Result(notes: notes, recordPath: recordPath, removedFragments: check.fragments.map(\.path))
    }
}

/// `tandem changelog check` found problems: exit 1, after every finding is printed.
public struct ChangelogCheckFailure: Error, Sendable, CustomStringConvertible {
    /// The problems.
    public let findings: [Finding]

    /// Creates the failure.
    public init(findings: [Finding]) { self.findings = findings }

    /// One finding per line.
    public var description: String { findings.map(\.description).joined(separator: "\n") }
}
