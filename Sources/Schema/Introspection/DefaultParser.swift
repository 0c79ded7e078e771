import TandemDatabase

/// Reads a default back from the text a database prints for it.
///
/// A lone literal becomes ``ColumnDefault/literal(_:)`` of the column type's value case:
/// PostgreSQL's `'it''s'::text`, `'-5'::integer`, `'\x00ff'::bytea` and `true`, SQLite's
/// `'it''s'`, `-5`, `X'00FF'` and `1`. Anything else stays an expression.
enum DefaultParser {
    static func parse(_ text: String, type: ColumnType) -> ColumnDefault {
        let tokens = SQLTokenizer.tokens(text)
        var literal = tokens.prefix { !$0.isSymbol("::") }
        let cast = tokens.dropFirst(literal.count)
        // A cast is a type name only: words, numbers, parentheses, commas and brackets.
        let castIsTypeOnly = cast.dropFirst().allSatisfy {
            $0.kind == .word || $0.kind == .number || ["(", ")", ",", "[", "]", "."].contains($0.value)
        }
        var sign = ""
        if let first = literal.first, first.isSymbol("-") || first.isSymbol("+") {
            sign = first.value == "-" ? "-" : ""
            literal = literal.dropFirst()
        }
        guard literal.count == 1, castIsTypeOnly, let token = literal.first else {
            return .expression(SchemaExpression(text))
        }
        switch token.kind {
        case .string where sign.isEmpty:
            if type == .bytes, token.value.hasPrefix("\\x"), let bytes = hexBytes(token.value.dropFirst(2)) {
                return .literal(.bytes(bytes))
            }
            return .literal(type.coerce(.text(token.value)))
        case .blob where sign.isEmpty:
            return hexBytes(Substring(token.value)).map { .literal(.bytes($0)) } ?? .expression(SchemaExpression(text))
        case .number:
            if case .decimal = type { return .literal(.text(sign + token.value)) }
            if let int = Int64(sign + token.value) { return .literal(type.coerce(.integer(int))) }
            return Double(sign + token.value).map { .literal(.double($0)) } ?? .expression(SchemaExpression(text))
        case .word where sign.isEmpty && (token.isWord("true") || token.isWord("false")):
            return .literal(.bool(token.isWord("true")))
        default:
            return .expression(SchemaExpression(text))
        }
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
