import Foundation

/// The release of each dependency that the CI build resolved, built and tested: the versions in
/// the package's `Package.resolved` (format 2 or 3), which `swift build` writes.
///
/// Tandem keeps `Package.resolved` out of git, so CI's fresh clone resolves anew, to the newest
/// release each declared range admits, and builds and tests exactly those. The file is thus the
/// record of what was tested, where a committed list would only be a claim about it.
public struct ResolvedVersions: Sendable {
    /// Identity → version; dependencies pinned to a branch or revision have none.
    public let versions: [String: String]

    /// Reads `Package.resolved` at `url`; throws ``CheckInputError`` when it is missing or malformed.
    public init(contentsOf url: URL, displayPath: String) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CheckInputError(
                file: displayPath,
                "missing: build the package (or run `swift package resolve`) first, so the check knows which releases were tested"
            )
        }
        let file: ResolvedFile
        do {
            file = try JSONDecoder().decode(ResolvedFile.self, from: data)
        } catch {
            throw CheckInputError(file: displayPath, "cannot read it as Package.resolved version 2 or 3: \(error)")
        }
        guard file.version == 2 || file.version == 3, let pins = file.pins else {
            throw CheckInputError(
                file: displayPath, "Package.resolved version \(file.version) is not supported (expected 2 or 3)")
        }
        var versions: [String: String] = [:]
        for pin in pins {
            if let version = pin.state.version { versions[pin.identity] = version }
        }
        self.versions = versions
    }

    private struct ResolvedFile: Decodable {
        let version: Int
        let pins: [Pin]?
    }

    private struct Pin: Decodable {
        let identity: String
        let state: State
    }

    private struct State: Decodable {
        let version: String?
    }
}
