/// Builds ``SchemaExpression/comparisonKey``: SQL text reduced to a spelling that PostgreSQL's and
/// SQLite's rewrites of it share.
enum ExpressionNormalizer {
    /// Words that may continue a type name after `::` (`double precision`, `timestamp with time zone`).
    private static let typeContinuations: Set<String> = ["precision", "varying", "with", "without", "time", "zone"]
    private static let numericTypes: Set<String> = [
        "smallint", "integer", "int", "int2", "int4", "int8", "bigint", "numeric", "decimal", "real", "double", "float4", "float8",
    ]
    /// PostgreSQL's operator spellings of SQL keywords.
    private static let operatorWords = ["~~": "like", "!~~": "not like", "~~*": "ilike", "!~~*": "not ilike", "!=": "<>"]

    static func key(_ sql: String) -> String {
        let atoms = rewriteBetween(rewriteAnyArrays(atoms(withoutCasts(SQLTokenizer.tokens(sql)))))
        var position = 0
        let tree = ParenthesisTree.parse(atoms, &position)
        return ParenthesisTree.flatten(ParenthesisTree.simplify(tree)).joined(separator: " ")
    }

    /// Drops `::type` casts; a quoted number cast to a numeric type becomes the number.
    private static func withoutCasts(_ tokens: [SQLToken]) -> [SQLToken] {
        var result: [SQLToken] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isSymbol("::"), index + 1 < tokens.count else {
                result.append(token)
                index += 1
                continue
            }
            index += 1
            let typeName = tokens[index].value.lowercased()
            index += 1
            if index + 1 < tokens.count, tokens[index].isSymbol(".") { index += 2 }
            while index < tokens.count, typeContinuations.contains(tokens[index].value.lowercased()) { index += 1 }
            if index < tokens.count, tokens[index].isSymbol("(") {
                while index < tokens.count, !tokens[index].isSymbol(")") { index += 1 }
                index += 1
            }
            while index + 1 < tokens.count, tokens[index].isSymbol("["), tokens[index + 1].isSymbol("]") { index += 2 }
            if let last = result.last, last.kind == .string, numericTypes.contains(typeName), Double(last.value) != nil {
                result[result.count - 1] = SQLToken(kind: .number, value: last.value, range: last.range)
            }
        }
        return result
    }

    /// Tokens as key atoms: words lowercased, plain quoted names unquoted, literals re-quoted,
    /// a prefix minus joined to its number.
    private static func atoms(_ tokens: [SQLToken]) -> [String] {
        var atoms: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token.kind {
            case .word:
                atoms.append(token.value.lowercased())
            case .quotedIdentifier:
                let plain = token.value.first.map { $0.isASCII && ($0.isLowercase || $0 == "_") } == true
                    && token.value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
                atoms.append(plain ? token.value : "\"" + token.value.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            case .string:
                atoms.append("'" + token.value.replacingOccurrences(of: "'", with: "''") + "'")
            case .blob:
                atoms.append("x'" + token.value.lowercased() + "'")
            case .number:
                atoms.append(token.value)
            case .symbol:
                let previous = atoms.last
                let isPrefix = previous == nil || previous == "(" || previous == "," || ParenthesisTree.precedence(of: previous!) != nil
                if token.value == "-", isPrefix, index < tokens.count, tokens[index].kind == .number {
                    atoms.append("-" + tokens[index].value)
                    index += 1
                } else {
                    atoms.append(operatorWords[token.value] ?? token.value)
                }
            }
        }
        return atoms
    }

    /// `x BETWEEN a AND b` becomes `(x >= a AND x <= b)` and `x NOT BETWEEN a AND b` becomes
    /// `(x < a OR x > b)`, as PostgreSQL stores them, when `x`, `a` and `b` are single operands.
    private static func rewriteBetween(_ atoms: [String]) -> [String] {
        func isOperand(_ index: Int) -> Bool {
            index >= 0 && index < atoms.count && ParenthesisTree.precedence(of: atoms[index]) == nil
                && !["(", ")", ",", "[", "]", "between", "and", "or", "not", "in", "is", "like", "ilike"].contains(atoms[index])
        }
        var result: [String] = []
        var index = 0
        while index < atoms.count {
            let negated = atoms[index] == "not" && index + 1 < atoms.count && atoms[index + 1] == "between"
            let keyword = index + (negated ? 1 : 0)
            guard keyword < atoms.count, atoms[keyword] == "between", isOperand(index - 1), isOperand(keyword + 1),
                keyword + 3 < atoms.count, atoms[keyword + 2] == "and", isOperand(keyword + 3),
                !(keyword + 4 < atoms.count && ["(", "[", "."].contains(atoms[keyword + 4]))
            else {
                result.append(atoms[index])
                index += 1
                continue
            }
            let subject = result.removeLast()
            let (low, high) = (atoms[keyword + 1], atoms[keyword + 3])
            result += negated
                ? ["(", subject, "<", low, "or", subject, ">", high, ")"]
                : ["(", subject, ">=", low, "and", subject, "<=", high, ")"]
            index = keyword + 4
        }
        return result
    }

    /// `= ANY (ARRAY[a, b])` becomes `IN (a, b)` and `<> ALL (ARRAY[a, b])` becomes `NOT IN (a, b)`,
    /// as PostgreSQL prints `IN` lists; parentheses around the array are allowed.
    private static func rewriteAnyArrays(_ atoms: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < atoms.count {
            let rewritten: String? =
                switch (atoms[index], index + 1 < atoms.count ? atoms[index + 1] : "") {
                case ("=", "any"): "in"
                case ("<>", "all"): "not in"
                default: nil
                }
            guard let rewritten, index + 2 < atoms.count, atoms[index + 2] == "(" else {
                result.append(atoms[index])
                index += 1
                continue
            }
            var cursor = index + 2
            var opened = 0
            while cursor < atoms.count, atoms[cursor] == "(" {
                opened += 1
                cursor += 1
            }
            guard cursor + 1 < atoms.count, atoms[cursor] == "array", atoms[cursor + 1] == "[",
                let close = atoms[cursor...].firstIndex(of: "]"),
                close + opened < atoms.count, atoms[(close + 1)...(close + opened)].allSatisfy({ $0 == ")" })
            else {
                result.append(atoms[index])
                index += 1
                continue
            }
            result.append(contentsOf: rewritten.split(separator: " ").map(String.init))
            result.append("(")
            result.append(contentsOf: atoms[(cursor + 2)..<close])
            result.append(")")
            index = close + opened + 1
        }
        return result
    }
}
