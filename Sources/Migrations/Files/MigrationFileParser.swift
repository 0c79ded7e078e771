import Crypto
import Foundation
import Yams

/// One migration file read and checked on its own, before the loader relates it to the others.
struct ParsedMigrationFile {
    /// The file's identity, from its folder and name.
    let id: MigrationID
    /// The path, for messages.
    let path: String
    /// `release`.
    let release: SemanticVersion
    /// `phase`.
    let phase: Phase
    /// `depends_on`, with the line of each entry.
    let dependsOn: [(id: MigrationID, line: Int)]
    /// `requires`.
    let requires: [String: SemanticVersion]
    /// `operations`.
    let operations: [LocatedOperation]
    /// SHA-256 of the bytes, hex.
    let checksum: String
}

/// Reads one migration file's YAML (with Yams' node API, which keeps every key's line) into a
/// ``ParsedMigrationFile``, recording every mistake on the reader.
struct MigrationFileParser {
    static let keys = ["release", "phase", "depends_on", "requires", "operations"]

    /// Where mistakes go.
    let reader: YAMLReader

    /// The file's contents checked and parsed, or nil when it has mistakes (all recorded).
    func parse(_ data: Data, id: MigrationID) -> ParsedMigrationFile? {
        guard let text = String(data: data, encoding: .utf8) else {
            reader.fail(line: nil, "the file is not UTF-8 text")
            return nil
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                reader.fail(line: 1, "the file is empty: it needs release, phase and operations")
                return nil
            }
            root = node
        } catch {
            reportYAMLError(error)
            return nil
        }
        guard let fields = reader.fields(root, nil, allowed: Self.keys, required: ["release", "phase", "operations"])
        else { return nil }
        let release = fields.read("release") { version($0, "'release'") }
        let phase = fields.read("phase") { OperationParser(reader: reader).phase($0, "'phase'") }
        let dependsOn = fields.read("depends_on") { dependencies($0) } ?? []
        let requires = fields.read("requires") { requirements($0) }
        let operations = fields.read("operations") { node -> [LocatedOperation]? in
            guard let items = reader.list(node, "'operations'") else { return nil }
            let parser = OperationParser(reader: reader)
            let operations = items.compactMap(parser.operation)
            return operations.count == items.count ? operations : nil
        }
        if let phase {
            switch (phase, fields["requires"]) {
            case (.compatible, let node?):
                reader.fail(
                    node,
                    "'requires' is only for breaking migrations: a compatible migration runs before the rollout, so it cannot need new code"
                )
                return nil
            case (.breaking, nil):
                reader.fail(
                    root,
                    "missing key 'requires': a breaking migration must name the component versions every live process must run"
                )
                return nil
            default: break
            }
        }
        guard fields.valid, let release, let phase, let operations else { return nil }
        return ParsedMigrationFile(
            id: id, path: reader.path, release: release, phase: phase, dependsOn: dependsOn, requires: requires ?? [:],
            operations: operations, checksum: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    private func version(_ node: Node, _ what: String) -> SemanticVersion? {
        guard let scalar = node.scalar else {
            reader.fail(node, "\(what) must be a version string, not \(YAMLReader.kind(node))")
            return nil
        }
        guard let version = SemanticVersion(scalar.string) else {
            reader.fail(
                node, "invalid version '\(scalar.string)' for \(what) (expected MAJOR.MINOR.PATCH, such as \"1.10.0\")")
            return nil
        }
        return version
    }

    private func dependencies(_ node: Node) -> [(id: MigrationID, line: Int)]? {
        guard let items = reader.list(node, "'depends_on'", nonEmpty: false) else { return nil }
        let ids = items.compactMap { item -> (id: MigrationID, line: Int)? in
            guard let text = reader.string(item, "each of 'depends_on'") else { return nil }
            guard let id = MigrationID(parsing: text) else {
                reader.fail(
                    item,
                    "invalid migration name '\(text)' in 'depends_on' (expected component/NNNN_name, such as core/0003_tasks)"
                )
                return nil
            }
            return (id, item.mark?.line ?? 1)
        }
        return ids.count == items.count ? ids : nil
    }

    private func requirements(_ node: Node) -> [String: SemanticVersion]? {
        guard let mapping = node.mapping else {
            reader.fail(node, "'requires' must be a mapping of component to version, not \(YAMLReader.kind(node))")
            return nil
        }
        guard !mapping.isEmpty else {
            reader.fail(node, "'requires' must name at least one component")
            return nil
        }
        var result: [String: SemanticVersion] = [:]
        var valid = true
        for (key, value) in mapping {
            guard let component = key.scalar?.string, MigrationID.isComponentName(component) else {
                reader.fail(key, "invalid component name \(YAMLReader.kind(key)) in 'requires'")
                valid = false
                continue
            }
            if let version = version(value, "'requires' of \(component)") {
                result[component] = version
            } else {
                valid = false
            }
        }
        return valid ? result : nil
    }

    private func reportYAMLError(_ error: any Error) {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            reader.fail(line: mark.line, "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            reader.fail(line: context.mark.line, "duplicate key '\(duplicates.joined(separator: "', '"))'")
        case .reader(let problem, _, _, _):
            reader.fail(line: nil, "invalid YAML: \(problem)")
        default:
            reader.fail(line: nil, "invalid YAML: \(error)")
        }
    }
}
