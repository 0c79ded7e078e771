/// A setting value with the source of each of its parts, as the loader reads and merges layers.
struct SettingNode: Sendable, Hashable {
    /// How a mapping combines with the lower layer's mapping at the same key.
    enum MappingMode: Sendable, Hashable {
        /// It replaces the lower mapping (the default).
        case replace
        /// Key by key: each of its keys replaces the lower layer's value at that key only
        /// (a layer's top level, the mappings an environment variable's `__` path goes through).
        case mergeKeys
        /// Marked with `dynaconf_merge: true`: merged into the lower mapping, and so are the
        /// mappings inside it, at any depth.
        case mergeDeep
    }

    /// The value's shape.
    enum Content: Sendable, Hashable {
        /// A scalar; never `.list` or `.mapping`.
        case scalar(SettingValue)
        /// A list; `appends` when it starts with the `dynaconf_merge` marker.
        case list([SettingNode], appends: Bool)
        /// A mapping, in key order.
        case mapping(NodeMapping, mode: MappingMode)
    }

    var content: Content
    /// The layer (and line or variable) that set this value last.
    var source: SettingSource

    /// The plain value.
    var value: SettingValue {
        switch content {
        case .scalar(let value): value
        case .list(let items, _): .list(items.map(\.value))
        case .mapping(let mapping, _): .mapping(SettingMapping(mapping.keys.map { ($0, mapping.nodes[$0]!.value) }))
        }
    }

    /// The node at `key` under this one, if any.
    func node(at segments: some Collection<String>) -> SettingNode? {
        guard let first = segments.first else { return self }
        guard case .mapping(let mapping, _) = content, let child = mapping.nodes[first] else { return nil }
        return child.node(at: segments.dropFirst())
    }

    /// Whether a merge marker sits anywhere inside this node.
    private var holdsMarker: Bool {
        switch content {
        case .scalar: false
        case .list(let items, let appends): appends || items.contains { $0.holdsMarker }
        case .mapping(let mapping, let mode):
            mode != .replace || mapping.nodes.values.contains { $0.holdsMarker }
        }
    }

    /// `upper` laid over `lower`: the later layer wins, except where it asks to merge.
    ///
    /// A mapping merges when it is marked, sits inside a marked mapping, or lies on the path
    /// to a marker deeper down (the marker would have nothing to merge into otherwise). A list
    /// appends to the lower list only when it carries the marker itself.
    static func merge(_ lower: SettingNode?, _ upper: SettingNode, insideMerge: Bool = false) -> SettingNode {
        switch upper.content {
        case .scalar:
            return upper
        case .list(let items, let appends):
            var merged = items.map { merge(nil, $0) }
            if appends, case .list(let lowerItems, _)? = lower?.content {
                merged = lowerItems + merged
            }
            return SettingNode(content: .list(merged, appends: false), source: upper.source)
        case .mapping(let mapping, let mode):
            let merges = mode != .replace || insideMerge || upper.holdsMarker
            var lowerMapping = NodeMapping()
            if merges, case .mapping(let existing, _)? = lower?.content {
                lowerMapping = existing
            }
            var merged = lowerMapping
            for key in mapping.keys {
                merged[key] = merge(
                    lowerMapping.nodes[key], mapping.nodes[key]!, insideMerge: mode == .mergeDeep || insideMerge)
            }
            return SettingNode(content: .mapping(merged, mode: .replace), source: upper.source)
        }
    }
}

/// Keys mapped to setting nodes, in order.
struct NodeMapping: Sendable, Hashable {
    /// The keys, in order.
    private(set) var keys: [String] = []
    /// The nodes by key.
    private(set) var nodes: [String: SettingNode] = [:]

    /// The node under `key`; setting a new key appends it.
    subscript(key: String) -> SettingNode? {
        get { nodes[key] }
        set {
            if nodes[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            nodes[key] = newValue
        }
    }

    /// The existing key equal to `key` ignoring case, else `key` itself.
    func matching(_ key: String) -> String {
        if nodes[key] != nil { return key }
        return keys.first { $0.lowercased() == key.lowercased() } ?? key
    }
}
