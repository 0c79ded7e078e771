/// The kinds of value a ``SettingValidator/type(_:_:)`` validator can require.
public enum SettingKind: Sendable, Hashable, CustomStringConvertible {
    /// `true` or `false`.
    case bool
    /// A whole number.
    case int
    /// Any number: a double, or an integer (YAML writes `60` for sixty seconds).
    case double
    /// Text.
    case string
    /// A list.
    case list
    /// A mapping.
    case mapping

    /// Whether a value of this kind is accepted where `self` is required.
    func accepts(_ kind: SettingKind?) -> Bool {
        kind == self || (self == .double && kind == .int)
    }

    /// The kind as it reads in a message: `an integer`, `a list`.
    public var description: String {
        switch self {
        case .bool: "true or false"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}
