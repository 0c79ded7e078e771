import Foundation
import Yams

/// The environment layer: `TANDEM_<KEY>` variables, `__` between nested keys.
///
/// `TANDEM_PROCESS_TTL__API=90` sets `process_ttl.api` to the integer 90 and keeps the other
/// keys of `process_ttl`. Keys are lower-cased, unless a lower layer already has the key
/// in another case. Values are YAML scalars: `4` is an integer, `true` a boolean, `'4'` or
/// `"4"` a string; a value written as a YAML flow list or mapping (`[md5, sha256]`,
/// `{a: 1}`, `[dynaconf_merge, md5]`) is one. Any other text, or text YAML cannot
/// parse, is taken as it is, so a password with YAML's special characters stays intact. An
/// empty variable counts as unset, like `TANDEM_DATABASE_URL` everywhere in the CLI.
struct EnvironmentSettings {
    /// The prefix of the variables that hold settings.
    static let prefix = "TANDEM_"
    /// Variables with the prefix that are not settings: the settings file's path and the
    /// test harness's own variables.
    static func isReserved(_ name: String) -> Bool {
        name == SettingsLoader.fileVariable || name.hasPrefix("TANDEM_TEST_")
    }

    /// The environment.
    let environment: [String: String]

    /// The environment's settings laid over `base`, or the problems that stop them loading.
    func merged(over base: SettingNode) -> Result<SettingNode, SettingsError> {
        var root = NodeMapping()
        var problems: [SettingsProblem] = []
        for (name, text) in environment.sorted(by: { $0.key < $1.key })
        where name.hasPrefix(Self.prefix) && !Self.isReserved(name) && !text.isEmpty {
            let source = SettingSource(layer: .environment, variable: name)
            let parts = name.dropFirst(Self.prefix.count).components(separatedBy: "__")
            guard !parts.contains(where: \.isEmpty) else {
                problems.append(
                    SettingsProblem(
                        key: nil, source: source,
                        message: "the variable's name has an empty key (nested keys are joined with one '__')"))
                continue
            }
            let segments = keySegments(parts, in: base)
            let value = Self.value(text, source: source)
            if let conflict = insert(value, at: segments[...], into: &root, source: source) {
                problems.append(
                    SettingsProblem(
                        key: SettingKey(segments: segments).description, source: source,
                        message: "conflicts with \(conflict), which sets the same key or a value on its path"))
            }
        }
        guard problems.isEmpty else { return .failure(SettingsError(problems: problems)) }
        let layer = SettingNode(content: .mapping(root, mode: .mergeKeys), source: SettingSource(layer: .environment))
        return .success(SettingNode.merge(base, layer))
    }

    /// The keys a variable's parts name: lower-cased, or as a lower layer spells them.
    private func keySegments(_ parts: [String], in base: SettingNode) -> [String] {
        var segments: [String] = []
        var node: SettingNode? = base
        for part in parts {
            var key = part.lowercased()
            if case .mapping(let mapping, _)? = node?.content {
                key = mapping.matching(key)
                node = mapping[key]
            } else {
                node = nil
            }
            segments.append(key)
        }
        return segments
    }

    /// Sets `value` at `path`, creating key-by-key mappings on the way; returns the variable
    /// that already set this key, or a value that is not a mapping on the way, if one did.
    private func insert(
        _ value: SettingNode, at path: ArraySlice<String>, into mapping: inout NodeMapping, source: SettingSource
    ) -> String? {
        let key = path.first!
        guard path.count > 1 else {
            if let existing = mapping[key] {
                return existing.source.variable ?? "another variable"
            }
            mapping[key] = value
            return nil
        }
        var child = NodeMapping()
        var mode = SettingNode.MappingMode.mergeKeys
        if let existing = mapping[key] {
            guard case .mapping(let existingMapping, let existingMode) = existing.content else {
                return existing.source.variable ?? "another variable"
            }
            child = existingMapping
            mode = existingMode
        }
        let conflict = insert(value, at: path.dropFirst(), into: &child, source: source)
        mapping[key] = SettingNode(content: .mapping(child, mode: mode), source: source)
        return conflict
    }

    /// A variable's text as a setting value: a YAML scalar, a YAML flow collection, or the text.
    static func value(_ text: String, source: SettingSource) -> SettingNode {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let quoted =
            trimmed.count >= 2 && (trimmed.first == "\"" || trimmed.first == "'") && trimmed.last == trimmed.first
        let flow = trimmed.first == "[" || trimmed.first == "{"
        if quoted || flow, let node = parseFlow(trimmed, source: source) {
            return node
        }
        if !quoted, !flow {
            let plain = Node(text)
            switch plain.tagName {
            case .null: return SettingNode(content: .scalar(.null), source: source)
            case .bool: if let value = plain.bool { return SettingNode(content: .scalar(.bool(value)), source: source) }
            case .int: if let value = plain.int { return SettingNode(content: .scalar(.int(value)), source: source) }
            case .float:
                if let value = plain.float { return SettingNode(content: .scalar(.double(value)), source: source) }
            default: break
            }
        }
        return SettingNode(content: .scalar(.string(text)), source: source)
    }

    /// Quoted or flow text read by the YAML reader as the value of a one-key document, or nil
    /// when it is not one YAML value (it then stays text). One line only, so the text cannot
    /// add keys of its own.
    private static func parseFlow(_ text: String, source: SettingSource) -> SettingNode? {
        guard !text.contains(where: \.isNewline),
            case .success(let root) = SettingsDocument(layer: .environment).parse("value: \(text)"),
            case .mapping(let mapping, _) = root.content, let node = mapping["value"]
        else { return nil }
        return node.resourced(source)
    }
}

extension SettingNode {
    /// This node with `source` on it and on everything inside it.
    func resourced(_ source: SettingSource) -> SettingNode {
        switch content {
        case .scalar: return SettingNode(content: content, source: source)
        case .list(let items, let appends):
            return SettingNode(content: .list(items.map { $0.resourced(source) }, appends: appends), source: source)
        case .mapping(let mapping, let mode):
            var copy = NodeMapping()
            for key in mapping.keys { copy[key] = mapping[key]!.resourced(source) }
            return SettingNode(content: .mapping(copy, mode: mode), source: source)
        }
    }
}
