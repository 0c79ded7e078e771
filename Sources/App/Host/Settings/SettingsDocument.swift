import Foundation
import Yams

/// Reads one layer's YAML (built-in defaults, a plugin's defaults, the settings file) into a
/// setting node, keeping each value's line, and the merge markers.
///
/// Merge markers: a mapping holding `dynaconf_merge: true` merges into the lower layer's
/// mapping (pulpcore's spelling, from dynaconf); a list whose first item is `dynaconf_merge`
/// appends its other items to the lower layer's list.
struct SettingsDocument {
    /// The mapping key and list item that ask to merge.
    static let mergeMarker = "dynaconf_merge"
    /// More nodes than this in one document is refused (an alias bomb expands exponentially).
    static let maximumNodes = 100_000
    /// Deeper nesting than this is refused.
    static let maximumDepth = 64

    /// The layer the document belongs to.
    let layer: SettingsLayer

    /// The document's top-level mapping, or the problems that stop it loading (with lines).
    func parse(_ text: String) -> Result<SettingNode, SettingsError> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return .failure(SettingsError(problems: [syntaxProblem(error, in: text)]))
        }
        guard let root else {
            return .success(SettingNode(content: .mapping(NodeMapping(), mode: .mergeKeys), source: source(nil)))
        }
        var converter = Converter(document: self)
        let node = converter.convert(root, key: SettingKey(segments: []), depth: 0)
        if !converter.problems.isEmpty { return .failure(SettingsError(problems: converter.problems)) }
        guard let node, case .mapping(let mapping, _) = node.content else {
            let problem = SettingsProblem(
                key: nil, source: source(root.mark),
                message: "the settings must be a mapping of keys to values, not \(Self.kind(of: root))")
            return .failure(SettingsError(problems: [problem]))
        }
        return .success(SettingNode(content: .mapping(mapping, mode: .mergeKeys), source: node.source))
    }

    fileprivate func source(_ mark: Mark?) -> SettingSource {
        SettingSource(layer: layer, line: mark?.line)
    }

    /// A YAML syntax error with its line; libyaml's problem text, never the offending line
    /// itself (it may hold a password).
    private func syntaxProblem(_ error: any Error, in text: String) -> SettingsProblem {
        let message: String
        let line: Int?
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _)?, .parser(let context, let problem, let mark, _)?,
            .composer(let context, let problem, let mark, _)?:
            message =
                "YAML syntax error: " + [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
                + " (column \(mark.column))"
            line = mark.line
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            message = "duplicate key(s) " + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            line = context.mark.line
        case .reader(let problem, let offset, _, _)?:
            message = "YAML syntax error: \(problem)"
            line = offset.map { offset in text.utf8.prefix(offset).count { $0 == UInt8(ascii: "\n") } + 1 }
        case let error?:
            message = "YAML error: \(error)"
            line = nil
        case nil:
            message = "YAML error: \(error)"
            line = nil
        }
        return SettingsProblem(key: nil, source: SettingSource(layer: layer, line: line ?? 1), message: message)
    }

    /// How a node reads in a message: `a list`, `a mapping`, `a scalar`.
    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar, .alias: "a single value"
        }
    }
}

/// Converts Yams nodes to setting nodes, collecting every problem.
private struct Converter {
    let document: SettingsDocument
    var problems: [SettingsProblem] = []
    var nodeCount = 0

    mutating func convert(_ node: Node, key: SettingKey, depth: Int) -> SettingNode? {
        nodeCount += 1
        guard nodeCount <= SettingsDocument.maximumNodes else {
            if nodeCount == SettingsDocument.maximumNodes + 1 {
                fail(
                    key, node, "the document holds more than \(SettingsDocument.maximumNodes) values (aliases expanded)"
                )
            }
            return nil
        }
        guard depth <= SettingsDocument.maximumDepth else {
            fail(key, node, "nested deeper than \(SettingsDocument.maximumDepth) levels")
            return nil
        }
        let source = document.source(node.mark)
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar, node: node, key: key).map { SettingNode(content: .scalar($0), source: source) }
        case .alias:
            fail(key, node, "unresolved alias")
            return nil
        case .sequence(let sequence):
            var items = Array(sequence)
            let appends = items.first?.scalar.map { $0.string == SettingsDocument.mergeMarker } ?? false
            if appends { items.removeFirst() }
            let converted = items.compactMap { convert($0, key: key, depth: depth + 1) }
            guard converted.count == items.count else { return nil }
            return SettingNode(content: .list(converted, appends: appends), source: source)
        case .mapping(let pairs):
            return mapping(pairs, node: node, key: key, depth: depth)
        }
    }

    private mutating func mapping(_ pairs: Node.Mapping, node: Node, key: SettingKey, depth: Int) -> SettingNode? {
        var mapping = NodeMapping()
        var mode = SettingNode.MappingMode.replace
        var valid = true
        var inherited: [SettingNode] = []
        for (keyNode, valueNode) in pairs {
            guard case .scalar(let keyScalar) = keyNode else {
                fail(key, keyNode, "a key must be a single value, not \(SettingsDocument.kind(of: keyNode))")
                valid = false
                continue
            }
            let name = keyScalar.string
            if name == SettingsDocument.mergeMarker {
                switch valueNode.bool {
                case true?: mode = .mergeDeep
                case false?: mode = .replace
                case nil:
                    fail(key.appending(name), valueNode, "must be true or false")
                    valid = false
                }
                continue
            }
            if keyNode.tagName == .merge {
                guard let sources = mergeSources(valueNode, key: key, depth: depth) else {
                    valid = false
                    continue
                }
                inherited += sources
                continue
            }
            guard let child = convert(valueNode, key: key.appending(name), depth: depth + 1) else {
                valid = false
                continue
            }
            mapping[name] = child
        }
        guard valid else { return nil }
        // YAML merge keys (`<<: *defaults`): the mapping's own keys win, then earlier sources.
        for source in inherited {
            guard case .mapping(let keys, _) = source.content else { continue }
            for name in keys.keys where mapping[name] == nil { mapping[name] = keys[name] }
        }
        return SettingNode(content: .mapping(mapping, mode: mode), source: document.source(node.mark))
    }

    /// The mappings a YAML merge key (`<<`) names: one mapping or a list of them.
    private mutating func mergeSources(_ node: Node, key: SettingKey, depth: Int) -> [SettingNode]? {
        let items = node.sequence.map(Array.init) ?? [node]
        guard items.allSatisfy({ $0.mapping != nil }) else {
            fail(key.appending("<<"), node, "a merge key (<<) takes a mapping or a list of mappings")
            return nil
        }
        let converted = items.compactMap { convert($0, key: key, depth: depth + 1) }
        return converted.count == items.count ? converted : nil
    }

    private mutating func scalarValue(_ scalar: Node.Scalar, node: Node, key: SettingKey) -> SettingValue? {
        switch node.tagName {
        case .null: return .null
        case .bool: return node.bool.map(SettingValue.bool)
        case .int:
            guard let value = node.int else {
                fail(key, node, "the number does not fit in a 64-bit integer")
                return nil
            }
            return .int(value)
        case .float: return node.float.map(SettingValue.double)
        default: return .string(scalar.string)
        }
    }

    private mutating func fail(_ key: SettingKey, _ node: Node, _ message: String) {
        problems.append(
            SettingsProblem(
                key: key.segments.isEmpty ? nil : key.description, source: document.source(node.mark), message: message)
        )
    }
}

extension Node {
    /// The resolved tag's name (`Tag.name` itself is internal to Yams).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
