import TandemDatabase

/// Hides secrets from every output: values under keys that name a secret, and passwords
/// inside URLs anywhere.
///
/// A key names a secret when one of its parts, split at `_`, `-` and `.`, is one of
/// ``secretWords`` (`database.password`, `api_key`, `secrets.x`). A string that holds `://`
/// loses its URL password (`postgres://user:***@host/db`); one that cannot be parsed as a
/// database URL but holds `@` is hidden whole.
public enum SettingsRedaction {
    /// What a hidden value prints as.
    public static let mask = "***"

    /// The words that mark a key as secret.
    public static let secretWords: Set<String> = [
        "password", "passwords", "passwd", "secret", "secrets", "key", "keys", "token", "tokens", "credential",
        "credentials", "apikey",
    ]

    /// Whether the setting at `key` holds a secret.
    public static func isSecret(_ key: SettingKey) -> Bool {
        key.segments.contains { segment in
            segment.lowercased().split { $0 == "_" || $0 == "-" || $0 == "." }.contains {
                secretWords.contains(String($0))
            }
        }
    }

    /// `value` as it may be shown for the setting at `key`.
    public static func redact(_ value: SettingValue, at key: SettingKey) -> SettingValue {
        if isSecret(key), value != .null { return .string(mask) }
        switch value {
        case .string(let text): return .string(redactURL(text))
        case .list(let items): return .list(items.map { redact($0, at: key) })
        case .mapping(let mapping):
            return .mapping(SettingMapping(mapping.map { ($0.key, redact($0.value, at: key.appending($0.key))) }))
        default: return value
        }
    }

    /// A message about the setting at `key`, with the secret's text replaced if it slipped in.
    static func scrub(_ message: String, at key: SettingKey, value: SettingValue?) -> String {
        guard isSecret(key) || containsURLPassword(value) else { return message }
        var scrubbed = message
        for secret in strings(in: value) where !secret.isEmpty {
            scrubbed = scrubbed.replacing(secret, with: isSecret(key) ? mask : redactURL(secret))
        }
        return scrubbed
    }

    private static func redactURL(_ text: String) -> String {
        guard text.contains("://") else { return text }
        if let url = try? DatabaseURL(text) { return url.description }
        return text.contains("@") ? mask : text
    }

    private static func containsURLPassword(_ value: SettingValue?) -> Bool {
        strings(in: value).contains { redactURL($0) != $0 }
    }

    private static func strings(in value: SettingValue?) -> [String] {
        switch value {
        case .string(let text): [text]
        case .int(let number): ["\(number)"]
        case .double(let number): ["\(number)"]
        case .list(let items): items.flatMap { strings(in: $0) }
        case .mapping(let mapping): mapping.flatMap { strings(in: $0.value) }
        default: []
        }
    }
}
