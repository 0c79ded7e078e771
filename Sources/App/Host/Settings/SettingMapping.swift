/// Setting keys mapped to values, in the order they were first written.
///
/// YAML mappings are ordered in the file; keeping that order makes `tandem settings show`
/// read like the files it came from.
public struct SettingMapping: Sendable, Hashable, Sequence {
    /// The keys, in order.
    public private(set) var keys: [String] = []
    private var values: [String: SettingValue] = [:]

    /// An empty mapping.
    public init() {}

    /// A mapping of these pairs, in order; a repeated key keeps its first place and last value.
    public init(_ pairs: [(String, SettingValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value under `key`; setting a new key appends it, setting nil removes it.
    public subscript(key: String) -> SettingValue? {
        get { values[key] }
        set {
            if newValue == nil {
                keys.removeAll { $0 == key }
            } else if values[key] == nil {
                keys.append(key)
            }
            values[key] = newValue
        }
    }

    /// How many keys the mapping holds.
    public var count: Int { keys.count }

    /// Whether the mapping holds no key.
    public var isEmpty: Bool { keys.isEmpty }

    /// The pairs, in key order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: SettingValue)> {
        keys.lazy.map { (key: $0, value: values[$0]!) }.makeIterator()
    }
}
