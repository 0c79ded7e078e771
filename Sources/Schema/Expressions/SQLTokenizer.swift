/// Splits SQL text into ``SQLToken``s, skipping whitespace and comments.
///
/// It knows what both dialects need for Tandem's purposes: quoted identifiers (also SQLite's
/// `` `x` ``; `[` is an array bracket, as in PostgreSQL), string and blob literals, numbers,
/// words and operators. Text it cannot
/// read (an unterminated quote) ends the token list.
enum SQLTokenizer {
    private static let operatorCharacters: Set<Character> = ["+", "-", "*", "/", "<", ">", "=", "~", "!", "@", "#", "%", "^", "&", "|", "?"]

    static func tokens(_ text: String) -> [SQLToken] {
        var tokens: [SQLToken] = []
        var index = text.startIndex
        func peek(_ offset: Int = 0) -> Character? {
            var position = index
            for _ in 0..<offset {
                guard position < text.endIndex else { return nil }
                position = text.index(after: position)
            }
            return position < text.endIndex ? text[position] : nil
        }
        func advance() { index = text.index(after: index) }
        /// Reads up to the closing `quote`, undoubling doubled quotes; nil when unterminated.
        func quoted(_ quote: Character) -> String? {
            advance()
            var value = ""
            while let character = peek() {
                advance()
                if character == quote {
                    if peek() == quote {
                        value.append(quote)
                        advance()
                    } else {
                        return value
                    }
                } else {
                    value.append(character)
                }
            }
            return nil
        }
        while let character = peek() {
            let start = index
            func add(_ kind: SQLToken.Kind, _ value: String) {
                tokens.append(SQLToken(kind: kind, value: value, range: start..<index))
            }
            if character.isWhitespace {
                advance()
            } else if character == "-", peek(1) == "-" {
                while let next = peek(), !next.isNewline { advance() }
            } else if character == "/", peek(1) == "*" {
                advance()
                advance()
                while peek() != nil, !(peek() == "*" && peek(1) == "/") { advance() }
                if peek() != nil { advance(); advance() }
            } else if character == "'" {
                guard let value = quoted("'") else { return tokens }
                add(.string, value)
            } else if character == "\"" || character == "`" {
                guard let value = quoted(character) else { return tokens }
                add(.quotedIdentifier, value)
            } else if (character == "x" || character == "X"), peek(1) == "'" {
                advance()
                guard let value = quoted("'") else { return tokens }
                add(.blob, value)
            } else if character.isNumber || (character == "." && peek(1)?.isNumber == true) {
                while let next = peek(), next.isNumber || next == "." { advance() }
                if let next = peek(), next == "e" || next == "E",
                    let after = peek(1), after.isNumber || ((after == "+" || after == "-") && peek(2)?.isNumber == true)
                {
                    advance()
                    advance()
                    while let next = peek(), next.isNumber { advance() }
                }
                add(.number, String(text[start..<index]))
            } else if character.isLetter || character == "_" {
                while let next = peek(), next.isLetter || next.isNumber || next == "_" || next == "$" { advance() }
                add(.word, String(text[start..<index]))
            } else if character == ":", peek(1) == ":" {
                advance()
                advance()
                add(.symbol, "::")
            } else if operatorCharacters.contains(character) {
                while let next = peek(), operatorCharacters.contains(next) { advance() }
                // As PostgreSQL lexes: `>-1` is `>` then `-1`, unless the operator has one of these.
                while text.distance(from: start, to: index) > 1, let last = text[..<index].last, last == "+" || last == "-",
                    !text[start..<index].contains(where: { "~!@#%^&|`?".contains($0) })
                {
                    index = text.index(before: index)
                }
                add(.symbol, String(text[start..<index]))
            } else {
                advance()
                add(.symbol, String(character))
            }
        }
        return tokens
    }
}
