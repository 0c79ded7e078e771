import Foundation
import Subprocess
import TandemMigrations

/// `tandem deps check`: every dependency of a package declares the reference's preferred range,
/// the lowest compatible release ... the newest release CI has tested.
///
/// Fails when a dependency's upper bound is only implied (`from:`, `.upToNextMajor`,
/// `.upToNextMinor`), when it admits releases newer than the one CI tested (the CI build's
/// `Package.resolved`), when it is an exact pin with no comment giving the reason, or when it
/// follows a branch or revision, which has no release to bound. Local (`path:`) packages are
/// part of the same source tree and are not checked.
public struct DependencyCheck: Sendable {
    /// The dependencies, as dump-package reports them.
    public let dependencies: [DeclaredDependency]
    /// The manifest's source, for lines, spellings and comments.
    public let source: ManifestSource
    /// What CI tested.
    public let resolved: ResolvedVersions

    /// Creates the check from what it reads.
    public init(dependencies: [DeclaredDependency], source: ManifestSource, resolved: ResolvedVersions) {
        self.dependencies = dependencies
        self.source = source
        self.resolved = resolved
    }

    /// Reads the package at `packageRoot`: runs `swift package dump-package` on it, parses its
    /// `Package.swift` and reads `resolvedFile` (default: its `Package.resolved`). Throws
    /// ``CheckInputError`` when one of them cannot be read.
    public static func load(packageRoot: URL, resolvedFile: URL? = nil) async throws -> DependencyCheck {
        let manifestURL = packageRoot.appending(path: "Package.swift")
        guard let manifest = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw CheckInputError(file: "Package.swift", "missing: not a Swift package")
        }
        // A scratch folder of its own: the package's `.build` may be locked by a running build or
        // `swift test` (CI runs this check next to one), and dump-package would wait for it.
        let scratch = FileManager.default.temporaryDirectory.appending(path: "tandem-deps-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try await run(
            .name("swift"),
            arguments: ["package", "--package-path", packageRoot.path, "--scratch-path", scratch.path, "dump-package"],
            output: .string(limit: 64 << 20), error: .string(limit: 1 << 20))
        let json = result.standardOutput
        guard result.terminationStatus.isSuccess else {
            let reason = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CheckInputError(
                file: "Package.swift", "`swift package dump-package` failed (\(result.terminationStatus)): \(reason)")
        }
        let resolvedURL = resolvedFile ?? packageRoot.appending(path: "Package.resolved")
        return DependencyCheck(
            dependencies: try DeclaredDependency.parse(dumpPackageJSON: Data(json.utf8)),
            source: ManifestSource(source: manifest),
            resolved: try ResolvedVersions(
                contentsOf: resolvedURL, displayPath: resolvedFile == nil ? "Package.resolved" : resolvedURL.path))
    }

    /// Every problem, one per dependency at most, in manifest order.
    public func findings() -> [Finding] {
        dependencies.compactMap { dependency -> (Int, Finding)? in
            let declaration = source.declarations[dependency.identity]
            let line = declaration?.line
            func finding(_ message: String) -> (Int, Finding) {
                (line ?? 0, Finding(file: "Package.swift", line: line, message: "\(dependency.identity): \(message)"))
            }
            let tested = resolved.versions[dependency.identity]
            switch dependency.requirement {
            case .local:
                return nil
            case .branch(let branch):
                return finding(
                    "follows branch '\(branch)', which has no release to bound; depend on a range of releases")
            case .revision(let revision):
                return finding(
                    "follows revision \(revision), which has no release to bound; depend on a range of releases")
            case .exact(let version):
                guard declaration.map({ !$0.comments.isEmpty }) ?? false else {
                    return finding(
                        "exact pin \(version) without a comment giving the reason; prefer \"LOWEST\"...\"\(tested ?? version)\", or say why it must be exact"
                    )
                }
                return nil
            case .range(let lower, let upper):
                let advice = "declare \"\(lower)\"...\"\(tested ?? "NEWEST-TESTED")\""
                if declaration?.impliesUpperBound ?? false {
                    return finding(
                        "no explicit upper bound (it admits every release below \(upper)); \(advice), the newest release CI tested"
                    )
                }
                guard let tested, let testedVersion = SemanticVersion(tested) else {
                    return finding(
                        "no release of it was tested: it is not in Package.resolved (resolve or build the package first)"
                    )
                }
                let newestAdmissible = SemanticVersion(
                    testedVersion.major, testedVersion.minor, testedVersion.patch + 1)
                if let upperVersion = SemanticVersion(upper), upperVersion > newestAdmissible {
                    return finding(
                        "upper bound \(upper) (exclusive) admits releases after \(tested), the newest release CI tested (Package.resolved); \(advice)"
                    )
                }
                return nil
            }
        }
        .sorted { $0.0 < $1.0 }.map(\.1)
    }
}
