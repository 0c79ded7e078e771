import Foundation
import TandemMigrations

/// The public API of one release, committed as `api/<version>.json` when the release is built,
/// so that later checks know what existed and what was deprecated.
public struct APIRecord: Sendable, Codable {
    /// The release.
    public let version: String
    /// Its public symbols, sorted by file, line and name.
    public let symbols: [APISymbol]

    /// The folder of records, relative to the package root.
    public static let folder = "api"

    /// Creates a record.
    public init(version: SemanticVersion, symbols: [APISymbol]) {
        self.version = version.description
        self.symbols = symbols.sorted { ($0.file, $0.line, $0.name) < ($1.file, $1.line, $1.name) }
    }

    /// The record's path relative to the package root: `api/1.2.0.json`.
    public static func path(for version: SemanticVersion) -> String { "\(folder)/\(version).json" }

    /// The JSON text, stable for review: pretty-printed with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The record of the newest release not after `version`, or nil when there is none.
    ///
    /// Throws ``CheckInputError`` for a file in `api/` that is not `<version>.json`, cannot be
    /// read, disagrees with its name, or records a release after `version`.
    public static func latest(packageRoot: URL, notAfter version: SemanticVersion) throws -> APIRecord? {
        let folderURL = packageRoot.appending(path: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folderURL.path) else { return nil }
        var newest: (SemanticVersion, String)?
        for name in names where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            guard name.hasSuffix(".json"), let recorded = SemanticVersion(String(name.dropLast(5))) else {
                throw CheckInputError(file: path, "not a release record: expected \(folder)/<MAJOR.MINOR.PATCH>.json")
            }
            guard recorded <= version else {
                throw CheckInputError(
                    file: path,
                    "records release \(recorded), after this package's version \(version) (\(PackageIdentity.versionFile))"
                )
            }
            if newest.map({ $0.0 < recorded }) ?? true { newest = (recorded, path) }
        }
        guard let (recorded, path) = newest else { return nil }
        do {
            let record = try JSONDecoder().decode(
                APIRecord.self, from: Data(contentsOf: packageRoot.appending(path: path)))
            guard record.version == recorded.description else {
                throw CheckInputError(file: path, "records version '\(record.version)', not \(recorded)")
            }
            return record
        } catch let error as CheckInputError {
            throw error
        } catch {
            throw CheckInputError(file: path, "cannot read the release record: \(error)")
        }
    }
}
