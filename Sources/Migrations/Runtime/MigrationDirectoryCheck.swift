import Crypto
import Foundation
import TandemDatabase

/// The quick answer to "is there anything to do?", which a `tandem migrate` run with nothing to
/// do gets from the files' checksums and one ledger query, without parsing a file or reading
/// the schema.
///
/// Every applied file was loaded and linted when it was applied, and the ledger holds its
/// checksum; when every file in the folder is applied and unchanged there is nothing to check
/// again. Anything else (a pending file, a changed one, a name the loader would reject) gets
/// nil, and the caller takes the full path: load, lint, plan.
public enum MigrationDirectoryCheck {
    /// The number of migration files when every one is applied with its recorded checksum, else nil.
    public static func appliedCount(directory: String, database: Database) throws -> Int? {
        guard let files = fingerprints(directory) else { return nil }
        let applied = try database.withConnection { try MigrationLedger.applied(on: $0) }
        let recorded = Dictionary(applied.map { ($0.identifier, $0.checksum) }, uniquingKeysWith: { first, _ in first })
        return files.allSatisfy { recorded[$0.id] == $0.checksum } ? files.count : nil
    }

    /// Each file's identifier (`core/0001_initial`) and SHA-256; nil when the folder holds
    /// anything the loader would report.
    static func fingerprints(_ directory: String) -> [(id: String, checksum: String)]? {
        let manager = FileManager.default
        guard let components = try? manager.contentsOfDirectory(atPath: directory) else { return nil }
        var files: [(id: String, checksum: String)] = []
        for component in components where !component.hasPrefix(".") {
            let folder = directory + "/" + component
            var isFolder: ObjCBool = false
            _ = manager.fileExists(atPath: folder, isDirectory: &isFolder)
            guard isFolder.boolValue else {
                if component.hasSuffix(".yaml") || component.hasSuffix(".yml") { return nil }
                continue
            }
            guard MigrationID.isComponentName(component), let names = try? manager.contentsOfDirectory(atPath: folder)
            else { return nil }
            for name in names where !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) {
                guard let id = MigrationID(fileName: name, component: component),
                    let data = manager.contents(atPath: folder + "/" + name)
                else { return nil }
                let checksum = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                files.append((id.description, checksum))
            }
        }
        return files
    }
}
