/// A check on one setting, run after every layer is loaded.
///
/// Tandem's own validators sit in ``BuiltInSettings/validators``; a plugin adds its own
/// through ``PluginSettings``. Every validator runs, and every failure is reported at once.
/// Apart from ``required(_:)``, validators pass when the key is not set at all.
///
/// ```swift
/// let validators: [SettingValidator] = [
///     .type("file.chunk_size", .int),
///     .range("file.chunk_size", 1...1_048_576),
///     .custom("file.mode") { value in value == .string("fast") ? "fast mode was removed in 2.0" : nil },
/// ]
/// ```
public struct SettingValidator: Sendable {
    /// The key the validator checks, as written (`logging.loggers."tandem.deprecation".level`).
    public let key: String
    /// The check: the key's value (nil when unset), and a function that shows a value safely
    /// in a message; returns what is wrong, or nil.
    let check: @Sendable (_ value: SettingValue?, _ show: (SettingValue) -> String) -> String?

    private init(_ key: String, check: @escaping @Sendable (SettingValue?, (SettingValue) -> String) -> String?) {
        self.key = key
        self.check = check
    }

    /// The key must be set, to something other than null.
    public static func required(_ key: String) -> Self {
        Self(key) { value, _ in value == nil || value == .null ? "is required but not set" : nil }
    }

    /// The value must be of `kind` (a ``SettingKind/double`` accepts integers too).
    public static func type(_ key: String, _ kind: SettingKind) -> Self {
        Self(key) { value, _ in
            guard let value, !kind.accepts(value.kind) else { return nil }
            return "must be \(kind), got \(value.kindDescription)"
        }
    }

    /// The value must be a number within `range`.
    public static func range(_ key: String, _ range: ClosedRange<Double>) -> Self {
        let bounds = "between \(format(range.lowerBound)) and \(format(range.upperBound))"
        return Self(key) { value, show in
            guard let value else { return nil }
            guard let number = value.number else { return "must be a number \(bounds), got \(value.kindDescription)" }
            return range.contains(number) ? nil : "must be \(bounds), got \(show(value))"
        }
    }

    /// The value must equal one of `values` (an integer equals the same number as a double).
    public static func oneOf(_ key: String, _ values: [SettingValue]) -> Self {
        Self(key) { value, show in
            guard let value, !values.contains(where: { equal($0, value) }) else { return nil }
            return "must be one of \(values.map(show).joined(separator: ", ")), got \(show(value))"
        }
    }

    /// The value must be a list that holds `element`.
    public static func mustContain(_ key: String, _ element: SettingValue) -> Self {
        Self(key) { value, show in
            guard let value else { return nil }
            guard case .list(let items) = value else {
                return "must be a list containing \(show(element)), got \(value.kindDescription)"
            }
            return items.contains { equal($0, element) } ? nil : "must contain \(show(element))"
        }
    }

    /// `check` gets the value (nil when unset) and returns what is wrong, or nil. Anything
    /// of a secret's value the message repeats is hidden.
    public static func custom(_ key: String, _ check: @escaping @Sendable (SettingValue?) -> String?) -> Self {
        Self(key) { value, _ in check(value) }
    }

    private static func equal(_ lhs: SettingValue, _ rhs: SettingValue) -> Bool {
        if let left = lhs.number, let right = rhs.number { return left == right }
        return lhs == rhs
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
