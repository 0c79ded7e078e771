/// A cast inside an expression: `CAST(<operand> AS <type>)` or `<operand>::<type>`.
public struct SchemaCast: Sendable, Hashable {
    /// The SQL text of the value cast, as written.
    public var operand: String
    /// The type cast to, lowercased, its first word only (`double` for `double precision`).
    public var type: String
}

extension SchemaExpression {
    /// Types a cast to which fails for some values of another type (`'12 KB'` to an integer):
    /// PostgreSQL refuses the value, SQLite's `CAST` quietly gives 0 or a prefix.
    public static let partialCastTypes: Set<String> = [
        "integer", "int", "int2", "int4", "int8", "bigint", "smallint", "numeric", "decimal", "real", "double", "float",
        "boolean", "bool", "date", "time", "timestamp", "timestamptz", "interval", "uuid", "json", "jsonb",
    ]

    /// The casts the expression makes, in order, nested ones after the cast that holds them.
    public var casts: [SchemaCast] {
        let tokens = SQLTokenizer.tokens(sql)
        var found: [SchemaCast] = []
        for index in tokens.indices {
            let token = tokens[index]
            if token.kind == .word, token.value.uppercased() == "CAST", index + 1 < tokens.count,
                tokens[index + 1].value == "(", let cast = castCall(tokens, open: index + 1)
            {
                found.append(cast)
            } else if token.value == "::", index > 0, index + 1 < tokens.count, tokens[index + 1].kind == .word,
                let start = operandStart(tokens, before: index)
            {
                let operand = String(sql[tokens[start].range.lowerBound..<tokens[index - 1].range.upperBound])
                found.append(SchemaCast(operand: operand, type: tokens[index + 1].value.lowercased()))
            }
        }
        return found
    }

    /// The casts that can fail for some values, unless a `CASE` guards the expression (the
    /// cast may then be reached only for values it converts).
    public var partialCasts: [SchemaCast] {
        contains(keyword: "CASE") ? [] : casts.filter { Self.partialCastTypes.contains($0.type) }
    }

    /// `CAST(` … `AS type)` whose `(` is at `open`: the operand is everything before the last
    /// `AS` at the call's own depth.
    private func castCall(_ tokens: [SQLToken], open: Int) -> SchemaCast? {
        var depth = 0
        var lastAs: Int?
        for index in open..<tokens.count {
            switch tokens[index].value {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 {
                    guard let lastAs, lastAs > open + 1, lastAs + 1 < index, tokens[lastAs + 1].kind == .word else {
                        return nil
                    }
                    let operand = String(sql[tokens[open + 1].range.lowerBound..<tokens[lastAs - 1].range.upperBound])
                    return SchemaCast(operand: operand, type: tokens[lastAs + 1].value.lowercased())
                }
            default:
                if depth == 1, tokens[index].kind == .word, tokens[index].value.uppercased() == "AS" { lastAs = index }
            }
        }
        return nil
    }

    /// The first token of the operand of a `::` at `index`: a parenthesized group (with the
    /// function name before it), or the one token before.
    private func operandStart(_ tokens: [SQLToken], before index: Int) -> Int? {
        let last = index - 1
        guard tokens[last].value == ")" else { return last }
        var depth = 0
        for position in stride(from: last, through: 0, by: -1) {
            if tokens[position].value == ")" { depth += 1 }
            if tokens[position].value == "(" {
                depth -= 1
                if depth == 0 {
                    return position > 0 && tokens[position - 1].kind == .word ? position - 1 : position
                }
            }
        }
        return nil
    }
}
