extension SchemaExpression {
    /// Whether the expression names `column` as a column: a bare word (compared without case,
    /// as both databases fold unquoted names) or a quoted identifier, that is not a function
    /// call and not a type after `AS` or `::`.
    ///
    /// It reads the text only, so it cannot tell a column from a keyword of the same spelling;
    /// callers use it to find expressions that surely name, or surely miss, a column.
    public func names(column: String) -> Bool {
        let tokens = SQLTokenizer.tokens(sql)
        for (index, token) in tokens.enumerated() {
            let matches =
                switch token.kind {
                case .word: token.value.lowercased() == column.lowercased()
                case .quotedIdentifier: token.value == column
                default: false
                }
            guard matches else { continue }
            let next = tokens.index(after: index) < tokens.endIndex ? tokens[index + 1].value : nil
            let previous = index > 0 ? tokens[index - 1].value.uppercased() : nil
            if next == "(" || previous == "AS" || previous == "::" { continue }
            return true
        }
        return false
    }
}

extension SchemaExpression {
    /// The types the expression casts to, lowercased as written: the word after `AS` (in
    /// `CAST(… AS type)`) or after `::`.
    public var castTargets: [String] {
        let tokens = SQLTokenizer.tokens(sql)
        return tokens.indices.dropLast().compactMap { index in
            let marker = tokens[index]
            let isCast = marker.value == "::" || (marker.kind == .word && marker.value.uppercased() == "AS")
            let type = tokens[index + 1]
            return isCast && type.kind == .word ? type.value.lowercased() : nil
        }
    }

    /// Whether the expression holds `keyword` as a bare word (compared without case).
    public func contains(keyword: String) -> Bool {
        SQLTokenizer.tokens(sql).contains { $0.kind == .word && $0.value.uppercased() == keyword.uppercased() }
    }
}
