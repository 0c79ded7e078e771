import Yams

/// Reads values out of a composed YAML document, recording a ``MigrationFileError`` with the
/// line for every mistake instead of stopping at the first, so that one lint run lists them all.
///
/// Each accessor returns nil after recording the problem; callers skip what they cannot read.
final class YAMLReader {
    /// The file being read, for messages.
    let path: String
    /// The problems found so far, in the order found.
    private(set) var errors: [MigrationFileError] = []

    /// A reader for the file at `path`.
    init(path: String) {
        self.path = path
    }

    /// Records a problem at `node`'s line.
    func fail(_ node: Node?, _ message: String) {
        errors.append(MigrationFileError(path: path, line: node?.mark?.line, message: message))
    }

    /// Records a problem at `line`.
    func fail(line: Int?, _ message: String) {
        errors.append(MigrationFileError(path: path, line: line, message: message))
    }

    /// The keys and values of a mapping, after checking that every key is one of `allowed` and
    /// every key of `required` is there. `context` names the mapping in messages
    /// ("add_column"); nil for the file's top level.
    func fields(_ node: Node, _ context: String?, allowed: [String], required: [String] = []) -> Fields? {
        guard let mapping = node.mapping else {
            fail(
                node,
                "\(context.map { "\($0) must be a mapping" } ?? "the file must be a mapping"), not \(Self.kind(node))")
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                fail(key, "keys must be plain names" + Self.suffix(context))
                continue
            }
            guard allowed.contains(name) else {
                fail(
                    key,
                    "unknown key '\(name)'\(Self.suffix(context)) (expected one of: \(allowed.joined(separator: ", ")))"
                )
                continue
            }
            values[name] = value
        }
        for name in required where values[name] == nil {
            fail(node, "missing key '\(name)'" + Self.suffix(context))
        }
        return Fields(values, complete: required.allSatisfy { values[$0] != nil })
    }

    /// A string scalar (quoted, or plain text that YAML does not read as a number, boolean or null).
    func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar, node.tagName == .str else {
            fail(node, "\(what) must be a string, not \(Self.kind(node))")
            return nil
        }
        return scalar.string
    }

    /// A non-empty string scalar.
    func name(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard !text.isEmpty else {
            fail(node, "\(what) must not be empty")
            return nil
        }
        return text
    }

    /// `true` or `false`.
    func bool(_ node: Node, _ what: String) -> Bool? {
        guard node.tagName == .bool, let value = node.bool else {
            fail(node, "\(what) must be true or false, not \(Self.kind(node))")
            return nil
        }
        return value
    }

    /// A sequence's items.
    func list(_ node: Node, _ what: String, nonEmpty: Bool = true) -> [Node]? {
        guard let sequence = node.sequence else {
            fail(node, "\(what) must be a list, not \(Self.kind(node))")
            return nil
        }
        if nonEmpty && sequence.isEmpty {
            fail(node, "\(what) must not be empty")
            return nil
        }
        return Array(sequence)
    }

    /// A non-empty list of names; a single name stands for a list of one.
    func names(_ node: Node, _ what: String) -> [String]? {
        if node.scalar != nil { return name(node, what).map { [$0] } }
        guard let items = list(node, what) else { return nil }
        let names = items.compactMap { name($0, "each of \(what)") }
        return names.count == items.count ? names : nil
    }

    /// How a node reads in a message: `a list`, `a mapping`, `the number 2`, `null`.
    static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return "null"
            case .bool: return "true/false"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the string '\(scalar.string)'"
            }
        }
    }

    private static func suffix(_ context: String?) -> String {
        context.map { " in \($0)" } ?? ""
    }
}

/// The values of a checked mapping, read key by key; remembers whether every read succeeded.
final class Fields {
    private let values: [String: Node]
    /// False once a required key was missing or a value could not be read.
    private(set) var valid: Bool

    init(_ values: [String: Node], complete: Bool) {
        self.values = values
        self.valid = complete
    }

    /// The node under `key`, if any.
    subscript(key: String) -> Node? { values[key] }

    /// The value under `key` read by `read`, nil when absent or unreadable (then ``valid`` is false).
    func read<T>(_ key: String, _ read: (Node) -> T?) -> T? {
        guard let node = values[key] else { return nil }
        let value = read(node)
        if value == nil { valid = false }
        return value
    }
}

extension Node {
    /// The node's resolved tag (`str`, `int`, `bool`, `null`…): what YAML read a scalar as.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
