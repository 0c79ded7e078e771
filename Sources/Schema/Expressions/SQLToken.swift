/// One lexical token of SQL text, with where it stands in the text.
struct SQLToken: Hashable {
    enum Kind: Hashable {
        /// An unquoted word: keyword, identifier or function name, as written.
        case word
        /// A double-quoted identifier; `value` is the name with `""` undoubled.
        case quotedIdentifier
        /// A string literal; `value` is its content with `''` undoubled.
        case string
        /// A blob literal `X'…'`; `value` is its hex digits.
        case blob
        /// A number, as written.
        case number
        /// An operator or punctuation: `(`, `)`, `,`, `::`, `<=`, `||`, `~~*`…
        case symbol
    }

    let kind: Kind
    let value: String
    let range: Range<String.Index>

    /// Whether this is the word `keyword`, in any case.
    func isWord(_ keyword: String) -> Bool {
        kind == .word && value.caseInsensitiveCompare(keyword) == .orderedSame
    }

    /// Whether this is the symbol `symbol`.
    func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && value == symbol
    }

    /// The name this token spells when it can be an identifier (a word or a quoted name), as written.
    var identifier: String? {
        switch kind {
        case .word, .quotedIdentifier: value
        default: nil
        }
    }
}
