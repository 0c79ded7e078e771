/// The effective settings: every layer merged, each value with the layer it came from.
///
/// Keys are dotted paths; a key part that holds a dot is quoted:
/// `settings[#"logging.loggers."tandem.deprecation".level"#]`.
///
/// ## Topics
/// - ``subscript(_:)``
/// - ``layer(of:)``
/// - ``string(_:)``
/// - ``int(_:)``
/// - ``entries(under:)``
public struct Settings: Sendable {
    let root: SettingNode
    /// The settings file that was read, if any.
    public let file: String?

    init(root: SettingNode, file: String?) {
        self.root = root
        self.file = file
    }

    /// Every setting as one mapping.
    public var value: SettingValue { root.value }

    /// The value at `key`, or nil when it is not set (or `key` cannot be parsed).
    public subscript(_ key: String) -> SettingValue? {
        node(key)?.value
    }

    /// The layer the value at `key` came from (the last one that set or merged into it).
    public func layer(of key: String) -> SettingsLayer? {
        node(key)?.source.layer
    }

    /// Where the value at `key` came from: layer, and line or environment variable.
    public func source(of key: String) -> SettingSource? {
        node(key)?.source
    }

    /// The settings at and under `key` (all of them when nil), one entry per scalar, list or
    /// empty mapping, in key order, with secrets redacted.
    public func entries(under key: String? = nil) throws(SettingsError) -> [SettingEntry] {
        var start = SettingKey(segments: [])
        if let key { start = try parse(key) }
        guard let node = root.node(at: start.segments) else {
            throw SettingsError(problems: [SettingsProblem(key: key, source: nil, message: "no such setting")])
        }
        var entries: [SettingEntry] = []
        collect(node, at: start, into: &entries)
        return entries
    }

    private func collect(_ node: SettingNode, at key: SettingKey, into entries: inout [SettingEntry]) {
        if case .mapping(let mapping, _) = node.content, !mapping.keys.isEmpty {
            for child in mapping.keys { collect(mapping[child]!, at: key.appending(child), into: &entries) }
        } else {
            entries.append(
                SettingEntry(key: key, value: SettingsRedaction.redact(node.value, at: key), source: node.source))
        }
    }

    /// The string at `key`; throws naming the key when it is missing or not a string.
    public func string(_ key: String) throws(SettingsError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw mismatch(key, .string, value) }
        return text
    }

    /// The integer at `key`; throws naming the key when it is missing or not an integer.
    public func int(_ key: String) throws(SettingsError) -> Int {
        let value = try required(key)
        guard case .int(let number) = value else { throw mismatch(key, .int, value) }
        return number
    }

    /// The number at `key` (an integer too); throws naming the key when it is missing or not a number.
    public func double(_ key: String) throws(SettingsError) -> Double {
        let value = try required(key)
        guard let number = value.number else { throw mismatch(key, .double, value) }
        return number
    }

    /// The boolean at `key`; throws naming the key when it is missing or not true/false.
    public func bool(_ key: String) throws(SettingsError) -> Bool {
        let value = try required(key)
        guard case .bool(let flag) = value else { throw mismatch(key, .bool, value) }
        return flag
    }

    /// The list of strings at `key`; throws naming the key when it is missing or not one.
    public func strings(_ key: String) throws(SettingsError) -> [String] {
        let value = try required(key)
        guard case .list(let items) = value else { throw mismatch(key, .list, value) }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else {
                throw problem(key, "must be a list of strings, but an item is \(item.kindDescription)")
            }
            strings.append(text)
        }
        return strings
    }

    /// Every failure of `validators`, each with its key and the source of the offending value.
    func problems(checking validators: [SettingValidator]) -> [SettingsProblem] {
        validators.compactMap { validator in
            let key: SettingKey
            do {
                key = try SettingKey(parsing: validator.key)
            } catch {
                return SettingsProblem(key: validator.key, source: nil, message: "a validator names \(error)")
            }
            let node = root.node(at: key.segments)
            let value = node?.value
            // A missing key is blamed on the mapping that lacks it (a file's mapping that
            // replaced the defaults' one, say); on nothing when no part of the path exists.
            let blamed = node ?? nearestAncestor(of: key)
            let show = { (shown: SettingValue) in Self.show(SettingsRedaction.redact(shown, at: key)) }
            guard let message = validator.check(value, show) else { return nil }
            return SettingsProblem(
                key: key.description, source: blamed?.source,
                message: SettingsRedaction.scrub(message, at: key, value: value))
        }
    }

    /// A value as it reads in a message: strings quoted, lists in brackets.
    static func show(_ value: SettingValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .int(let number): "\(number)"
        case .double(let number): "\(number)"
        case .string(let text): "'\(text)'"
        case .list(let items): "[\(items.map(show).joined(separator: ", "))]"
        case .mapping(let mapping): "{\(mapping.map { "\($0.key): \(show($0.value))" }.joined(separator: ", "))}"
        }
    }

    private func nearestAncestor(of key: SettingKey) -> SettingNode? {
        var segments = key.segments.dropLast()
        while !segments.isEmpty {
            if let node = root.node(at: segments) { return node }
            segments = segments.dropLast()
        }
        return nil
    }

    private func node(_ key: String) -> SettingNode? {
        guard let key = try? SettingKey(parsing: key) else { return nil }
        return root.node(at: key.segments)
    }

    private func parse(_ key: String) throws(SettingsError) -> SettingKey {
        do {
            return try SettingKey(parsing: key)
        } catch {
            throw SettingsError(problems: [SettingsProblem(key: key, source: nil, message: error.reason)])
        }
    }

    private func required(_ key: String) throws(SettingsError) -> SettingValue {
        let parsed = try parse(key)
        guard let value = root.node(at: parsed.segments)?.value, value != .null else {
            throw SettingsError(problems: [SettingsProblem(key: key, source: nil, message: "is required but not set")])
        }
        return value
    }

    private func mismatch(_ key: String, _ kind: SettingKind, _ value: SettingValue) -> SettingsError {
        problem(key, "must be \(kind), got \(value.kindDescription)")
    }

    private func problem(_ key: String, _ message: String) -> SettingsError {
        SettingsError(problems: [SettingsProblem(key: key, source: source(of: key), message: message)])
    }
}

/// One setting as `tandem settings show` prints it: key, value (secrets redacted), source.
public struct SettingEntry: Sendable, Hashable {
    /// The setting's key.
    public let key: SettingKey
    /// Its value, with secrets replaced by `***`.
    public let value: SettingValue
    /// Where the value came from.
    public let source: SettingSource
}
