/// Default names for constraints and indexes, and names that fit PostgreSQL's limit.
///
/// Default names follow PostgreSQL's own: `<table>_<columns>_fkey`, `_key`, `_idx`, and
/// `<table>_check`. PostgreSQL cuts identifiers at 63 bytes, so a longer name is shortened
/// here, deterministically, before it reaches a database: a prefix, then eight hex digits of a
/// hash of the full name, then the suffix. Two long names that share a prefix stay distinct, and
/// the name read back from the database is the name rendered.
public enum ConstraintName {
    /// The longest identifier PostgreSQL keeps, in bytes.
    public static let maximumLength = 63

    /// The default name for a constraint or index on `columns` of `table`: `t_a_b_fkey`.
    public static func `default`(table: String, columns: [String], suffix: String) -> String {
        fitted(([table] + columns).joined(separator: "_"), suffix: "_" + suffix)
    }

    /// `name` followed by `suffix`, shortened to ``maximumLength`` bytes when longer.
    public static func fitted(_ name: String, suffix: String = "") -> String {
        guard name.utf8.count + suffix.utf8.count > maximumLength else { return name + suffix }
        let tag = "_" + hash(name + suffix)
        return prefix(name, bytes: maximumLength - tag.utf8.count - suffix.utf8.count) + tag + suffix
    }

    /// The longest prefix of whole characters within `bytes` UTF-8 bytes.
    private static func prefix(_ name: String, bytes: Int) -> String {
        var result = ""
        var count = 0
        for character in name {
            count += character.utf8.count
            if count > bytes { break }
            result.append(character)
        }
        return result
    }

    /// `readable` cut to fit, then `_`, eight hex digits of a hash of `identity`, then `suffix`:
    /// a name that stays distinct for distinct identities however their parts are spelt, within
    /// ``maximumLength`` bytes. The identity's parts are joined with a NUL byte, which no
    /// identifier holds, so `["a_b", "c"]` and `["a", "b_c"]` hash differently.
    public static func tagged(_ readable: String, identity: [String], suffix: String = "") -> String {
        let tag = "_" + hash(identity.joined(separator: "\u{0}"))
        return prefix(readable, bytes: maximumLength - tag.utf8.count - suffix.utf8.count) + tag + suffix
    }

    /// 32-bit FNV-1a as eight hex digits: stable across runs and platforms, unlike `hashValue`.
    private static func hash(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
