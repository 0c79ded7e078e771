/// Key atoms grouped by parentheses, for dropping the parentheses that change nothing.
///
/// PostgreSQL wraps every operator expression it prints in parentheses; a group is kept only
/// when an operator inside binds more loosely than an operator beside it, or when it belongs to
/// a function call, an `IN` list or a row.
indirect enum ParenthesisTree {
    case atom(String)
    case group([ParenthesisTree], call: Bool)

    /// Binding strength of the operators, PostgreSQL's order; nil for operands.
    static func precedence(of atom: String) -> Int? {
        switch atom {
        case "or": 1
        case "and": 2
        case "not": 3
        case "is", "isnull", "notnull": 4
        case "=", "<>", "<", ">", "<=", ">=": 5
        case "in", "like", "ilike", "between", "similar", "glob", "regexp", "match": 6
        case "+", "-": 8
        case "*", "/", "%": 9
        case "^": 10
        case "(", ")", ",", "[", "]", ".", ";": nil
        default:
            Double(atom) == nil && atom.first.map { !$0.isLetter && !$0.isNumber && !"'\"_-".contains($0) } == true ? 7 : nil
        }
    }

    /// Words before `(` that take the group as an operand rather than as call arguments.
    private static let operatorWords: Set<String> = ["and", "or", "not", "is", "like", "ilike", "between", "then", "else", "when", "case"]

    /// Parses atoms up to the matching `)` (or the end) into a list of nodes.
    static func parse(_ atoms: [String], _ position: inout Int) -> [ParenthesisTree] {
        var nodes: [ParenthesisTree] = []
        while position < atoms.count {
            let atom = atoms[position]
            position += 1
            if atom == ")" { return nodes }
            if atom == "(" {
                let call: Bool
                if case .atom(let previous) = nodes.last {
                    call = previous == "in" || (precedence(of: previous) == nil && !operatorWords.contains(previous) && previous != "," && previous != "(")
                } else {
                    call = nodes.last != nil
                }
                nodes.append(.group(parse(atoms, &position), call: call))
            } else {
                nodes.append(.atom(atom))
            }
        }
        return nodes
    }

    /// Drops redundant groups, innermost first.
    static func simplify(_ nodes: [ParenthesisTree]) -> [ParenthesisTree] {
        var result: [ParenthesisTree] = []
        for (offset, node) in nodes.enumerated() {
            guard case .group(let children, let call) = node else {
                result.append(node)
                continue
            }
            let inner = simplify(children)
            if call || !isRedundant(inner, left: result.last, right: offset + 1 < nodes.count ? nodes[offset + 1] : nil) {
                result.append(.group(inner, call: call))
            } else {
                result.append(contentsOf: inner)
            }
        }
        return result
    }

    static func flatten(_ nodes: [ParenthesisTree]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .atom(let atom): [atom]
            case .group(let children, _): ["("] + flatten(children) + [")"]
            }
        }
    }

    private static func isRedundant(_ inner: [ParenthesisTree], left: ParenthesisTree?, right: ParenthesisTree?) -> Bool {
        guard !inner.isEmpty else { return false }
        var operators: [String] = []
        for (offset, node) in inner.enumerated() {
            guard case .atom(let atom) = node else { continue }
            if atom == "," { return false }
            guard precedence(of: atom) != nil else { continue }
            // `IS NOT`, `NOT IN`, `NOT LIKE`: the NOT belongs to the operator beside it.
            if atom == "not", offset > 0, case .atom("is") = inner[offset - 1] { continue }
            if atom == "not", offset + 1 < inner.count, case .atom(let next) = inner[offset + 1], (precedence(of: next) ?? 0) == 6 {
                continue
            }
            operators.append(atom)
        }
        let innerPrecedence = operators.compactMap(precedence(of:)).min() ?? Int.max
        let leftPrecedence = neighbourPrecedence(left)
        let rightPrecedence = neighbourPrecedence(right)
        guard innerPrecedence >= rightPrecedence else { return false }
        if innerPrecedence > leftPrecedence { return true }
        // AND and OR are associative: `a AND (b AND c)` is `a AND b AND c`, as PostgreSQL flattens it.
        guard innerPrecedence == leftPrecedence, case .atom(let leftAtom) = left, leftAtom == "and" || leftAtom == "or" else { return false }
        return operators.allSatisfy { $0 == leftAtom }
    }

    private static func neighbourPrecedence(_ node: ParenthesisTree?) -> Int {
        guard case .atom(let atom) = node else { return 0 }
        return precedence(of: atom) ?? 0
    }
}
