/// Tells, from a statement's text alone, whether its result columns follow a table's shape.
///
/// PostgreSQL fixes a prepared statement's result columns when it is prepared. When another
/// session adds a column to a table under `SELECT *`, the next execution fails with SQLSTATE
/// 0A000 (*cached plan must not change result type*), and inside a transaction that aborts the
/// caller's transaction. Such statements run unprepared instead; statements that name their
/// columns keep the same result whatever columns, indexes or tables are added.
///
/// The scan skips string literals (`'…'`, `E'…'`, `$tag$…$tag$`), quoted identifiers and
/// comments. A `*` counts when it stands for all columns: after `SELECT`, `DISTINCT`, `ALL`,
/// `RETURNING`, a comma, a dot (`t.*`) or a closing parenthesis (`DISTINCT ON (a) *`); not in
/// `count(*)`, and not as multiplication after an operand. A `TABLE` anywhere counts too (`TABLE t`,
/// `WITH … TABLE t`, `(TABLE t) UNION …`; in `CREATE TABLE` it costs a re-parse of a statement
/// that is rarely run twice). When unsure it counts, which costs a re-parse, never an error.
enum ResultShape {
    /// Whether the statement's result columns depend on the current shape of a table.
    static func followsTableShape(_ sql: String) -> Bool {
        var scanner = Scanner(Array(sql.utf8))
        var previous: Token? = nil
        while let token = scanner.next() {
            if case .word("TABLE") = token { return true }
            if case .punctuation(UInt8(ascii: "*")) = token, let previous, previous.introducesColumns {
                return true
            }
            previous = token
        }
        return false
    }

    private enum Token: Equatable {
        /// A keyword or identifier, upper-cased (quoted identifiers are `.operand`).
        case word(String)
        /// A number, a literal, a quoted identifier or a parameter.
        case operand
        case punctuation(UInt8)

        /// Whether a `*` right after this token means "all columns".
        var introducesColumns: Bool {
            switch self {
            case .word(let word): ["SELECT", "DISTINCT", "ALL", "RETURNING"].contains(word)
            case .operand: false
            case .punctuation(let byte):
                byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")")
            }
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// The next significant token, skipping whitespace and comments; nil at the end.
        mutating func next() -> Token? {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                    index += 1
                case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: "'"):
                    skipQuoted(UInt8(ascii: "'"), backslashEscapes: false)
                    return .operand
                case UInt8(ascii: "\""):
                    skipQuoted(UInt8(ascii: "\""), backslashEscapes: false)
                    return .operand
                case UInt8(ascii: "$"):
                    return dollar()
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    while index < bytes.count, Self.isNumber(bytes[index]) { index += 1 }
                    return .operand
                default:
                    if Self.isWordStart(byte) { return word() }
                    index += 1
                    return .punctuation(byte)
                }
            }
            return nil
        }

        private func peek(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        private mutating func word() -> Token {
            let start = index
            while index < bytes.count,
                Self.isWordStart(bytes[index]) || Self.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "$")
            {
                index += 1
            }
            let word = String(decoding: bytes[start..<index], as: UTF8.self).uppercased()
            // E'…' is a string with backslash escapes.
            if word == "E", index < bytes.count, bytes[index] == UInt8(ascii: "'") {
                skipQuoted(UInt8(ascii: "'"), backslashEscapes: true)
                return .operand
            }
            return .word(word)
        }

        /// Skips a quoted run whose quote doubles to escape itself; `index` is on the opening quote.
        private mutating func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if backslashEscapes, byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                index += 1
                if byte == quote {
                    guard index < bytes.count, bytes[index] == quote else { return }
                    index += 1
                }
            }
        }

        /// PostgreSQL block comments nest.
        private mutating func skipBlockComment() {
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                    if depth == 0 { return }
                } else {
                    index += 1
                }
            }
        }

        /// A parameter (`$1`) or a dollar-quoted string (`$$…$$`, `$tag$…$tag$`).
        private mutating func dollar() -> Token {
            var end = index + 1
            if end < bytes.count, Self.isDigit(bytes[end]) {
                while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
                index = end
                return .operand
            }
            while end < bytes.count, Self.isWordStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else {
                index += 1
                return .punctuation(UInt8(ascii: "$"))
            }
            let delimiter = bytes[index...end]
            index = end + 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: delimiter) {
                    index += delimiter.count
                    return .operand
                }
                index += 1
            }
            return .operand
        }

        private static func isWordStart(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        private static func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        private static func isNumber(_ byte: UInt8) -> Bool {
            isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        }
    }
}
