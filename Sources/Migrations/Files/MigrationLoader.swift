import Foundation

/// Loads migration files, `migrations/<component>/<NNNN>_<name>.yaml`, into a ``MigrationSet``.
///
/// Every mistake in every file is collected before anything is returned, each with its file
/// and line: YAML syntax, unknown or missing keys and operations, wrong types, invalid
/// versions and phases, `requires` on a compatible file or missing on a breaking one, bad file
/// names, duplicate numbers, missing dependencies and cycles. A set is returned only when
/// there is none, so nothing runs from a partly valid folder.
///
/// ```swift
/// do {
///     let set = try MigrationLoader.load(directory: "migrations")
/// } catch {
///     for problem in error.errors { print(problem) }   // migrations/core/0002_x.yaml:7: …
/// }
/// ```
public enum MigrationLoader {
    /// Loads every migration below `directory`, one folder per component.
    public static func load(directory: String) throws(MigrationFileErrors) -> MigrationSet {
        var files = MigrationFiles()
        files.addRoot(directory)
        return try files.load()
    }

    /// Loads the files named by `paths`, as `tandem lint` does: a file, a component folder (one
    /// holding `.yaml` files) or a migrations folder (one holding component folders).
    ///
    /// Dependencies on files next to the loaded ones that were not named count as present, so
    /// one file can be checked alone.
    public static func load(paths: [String]) throws(MigrationFileErrors) -> MigrationSet {
        var files = MigrationFiles()
        for path in paths { files.add(path) }
        return try files.load()
    }
}

/// The files a load reads, with the problems found while finding them.
private struct MigrationFiles {
    private var paths: [(path: String, component: String)] = []
    private var roots: Set<String> = []
    private var errors: [MigrationFileError] = []
    private let manager = FileManager.default

    /// Adds a file, component folder or migrations folder.
    mutating func add(_ path: String) {
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            errors.append(MigrationFileError(path: path, line: nil, message: "no such file or folder"))
            return
        }
        guard isDirectory.boolValue else {
            let url = URL(fileURLWithPath: path)
            paths.append((path, url.deletingLastPathComponent().lastPathComponent))
            roots.insert(url.deletingLastPathComponent().deletingLastPathComponent().path)
            return
        }
        if entries(path).contains(where: { Self.isMigrationLike($0) && !isFolder(join(path, $0)) }) {
            addComponent(path, name: URL(fileURLWithPath: path).lastPathComponent)
            roots.insert(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } else {
            addRoot(path)
        }
    }

    /// Adds a migrations folder: one sub-folder per component.
    mutating func addRoot(_ root: String) {
        guard isFolder(root) else {
            errors.append(MigrationFileError(path: root, line: nil, message: "no such folder"))
            return
        }
        roots.insert(URL(fileURLWithPath: root).path)
        for entry in entries(root) {
            let path = join(root, entry)
            if isFolder(path) {
                addComponent(path, name: entry)
            } else if Self.isMigrationLike(entry) {
                errors.append(
                    MigrationFileError(
                        path: path, line: nil,
                        message: "a migration file belongs in a component folder: <component>/NNNN_name.yaml"))
            }
        }
    }

    /// Parses every file, then relates them: numbers, dependencies, order.
    func load() throws(MigrationFileErrors) -> MigrationSet {
        var errors = self.errors
        var parsed: [ParsedMigrationFile] = []
        for (path, component) in paths {
            guard let id = MigrationID(fileName: URL(fileURLWithPath: path).lastPathComponent, component: component)
            else {
                errors.append(
                    MigrationFileError(
                        path: path, line: nil,
                        message:
                            "invalid file name: expected <component>/NNNN_name.yaml, four digits then lowercase letters, digits and _"
                    ))
                continue
            }
            guard let data = manager.contents(atPath: path) else {
                errors.append(MigrationFileError(path: path, line: nil, message: "cannot read the file"))
                continue
            }
            let reader = YAMLReader(path: path)
            if let file = MigrationFileParser(reader: reader).parse(data, id: id) { parsed.append(file) }
            errors += reader.errors
        }
        errors += duplicateNumbers(parsed)
        let known = knownIDs().subtracting(parsed.map(\.id))
        var migrations: [Migration] = []
        var lines: [MigrationID: [MigrationID: Int]] = [:]
        let unique = Dictionary(grouping: parsed) { $0.id.component + "/" + String($0.id.number) }.values.map { $0[0] }
        for file in unique {
            let previous = (unique.map(\.id) + known).filter {
                $0.component == file.id.component && $0.number < file.id.number
            }.max()
            let explicit = file.dependsOn.map(\.id)
            lines[file.id] = Dictionary(
                file.dependsOn.map { ($0.id, $0.line) }, uniquingKeysWith: { first, _ in first })
            migrations.append(
                Migration(
                    id: file.id, path: file.path, release: file.release, phase: file.phase,
                    dependsOn: (previous.map { [$0] } ?? []) + explicit.filter { $0 != previous },
                    requires: file.requires,
                    operations: file.operations, checksum: file.checksum))
        }
        let ordered: [Migration]
        do {
            ordered = try MigrationOrder.sort(migrations, known: known, lines: lines)
        } catch {
            throw MigrationFileErrors(Self.sorted(errors + error.errors))
        }
        guard errors.isEmpty else { throw MigrationFileErrors(Self.sorted(errors)) }
        return MigrationSet(ordered: ordered)
    }

    private mutating func addComponent(_ folder: String, name: String) {
        guard MigrationID.isComponentName(name) else {
            errors.append(
                MigrationFileError(
                    path: folder, line: nil,
                    message: "invalid component name '\(name)': lowercase letters, digits and _, starting with a letter"
                ))
            return
        }
        for entry in entries(folder) where Self.isMigrationLike(entry) && !isFolder(join(folder, entry)) {
            paths.append((join(folder, entry), name))
        }
    }

    private func duplicateNumbers(_ files: [ParsedMigrationFile]) -> [MigrationFileError] {
        Dictionary(grouping: files) { $0.id.component + "/" + String($0.id.number) }.values.flatMap { group in
            group.dropFirst().map { file in
                MigrationFileError(
                    path: file.path, line: nil,
                    message:
                        "duplicate number \(String(format: "%04d", file.id.number)) in component \(file.id.component): \(group[0].path) has it too"
                )
            }
        }
    }

    /// The identities of every well-named file in the roots, loaded or not.
    private func knownIDs() -> Set<MigrationID> {
        var ids: Set<MigrationID> = []
        for root in roots {
            for component in entries(root) where isFolder(join(root, component)) {
                for file in entries(join(root, component)) {
                    if let id = MigrationID(fileName: file, component: component) { ids.insert(id) }
                }
            }
        }
        return ids
    }

    private func entries(_ folder: String) -> [String] {
        ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    private func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return manager.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Files that look meant as migrations: `.yaml`, and `.yml`, which gets a file-name error.
    private static func isMigrationLike(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    private static func sorted(_ errors: [MigrationFileError]) -> [MigrationFileError] {
        errors.sorted { ($0.path, $0.line ?? 0, $0.message) < ($1.path, $1.line ?? 0, $1.message) }
    }
}
