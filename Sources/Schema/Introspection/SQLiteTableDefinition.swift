/// What only the text of a SQLite `CREATE TABLE` holds: check conditions and constraint names.
///
/// SQLite's pragmas report columns, keys and unique indexes but neither checks nor the names
/// given with `CONSTRAINT`; this reads them from the statement stored in `sqlite_master`.
struct SQLiteTableDefinition {
    /// Named or unnamed constraints, in the order written.
    struct NamedColumns {
        let name: String?
        let columns: [String]
    }

    private(set) var checks: [CheckConstraint] = []
    private(set) var uniqueConstraints: [NamedColumns] = []
    private(set) var foreignKeys: [NamedColumns] = []

    init(sql: String) {
        let tokens = SQLTokenizer.tokens(sql)
        guard let open = tokens.firstIndex(where: { $0.isSymbol("(") }) else { return }
        for element in Self.elements(tokens[(open + 1)...]) where !element.isEmpty {
            read(element, sql: sql)
        }
    }

    /// The name of the constraint on exactly `columns` in `list`, consuming it so that a second
    /// constraint on the same columns gets the next name.
    static func takeName(for columns: [String], from list: inout [NamedColumns]) -> String? {
        guard let index = list.firstIndex(where: { $0.columns == columns }) else { return nil }
        return list.remove(at: index).name
    }

    private mutating func read(_ element: ArraySlice<SQLToken>, sql: String) {
        let isTableConstraint = element.first.map { first in
            ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains { first.isWord($0) }
        } ?? false
        let column = isTableConstraint ? nil : element.first?.identifier
        var name: String?
        var index = element.startIndex + (isTableConstraint ? 0 : 1)
        while index < element.endIndex {
            let token = element[index]
            index += 1
            if token.isWord("CONSTRAINT"), index < element.endIndex {
                name = element[index].identifier
                index += 1
            } else if token.isWord("CHECK"), let (range, end) = Self.parenthesized(element, from: index) {
                checks.append(CheckConstraint(SchemaExpression(String(sql[range])), name: name))
                (name, index) = (nil, end)
            } else if token.isWord("UNIQUE") {
                let (columns, end) = column.map { ([$0], index) } ?? Self.names(element, from: index)
                uniqueConstraints.append(NamedColumns(name: name, columns: columns))
                (name, index) = (nil, end)
            } else if token.isWord("FOREIGN"), index + 1 < element.endIndex {
                let (columns, end) = Self.names(element, from: index + 1)
                foreignKeys.append(NamedColumns(name: name, columns: columns))
                (name, index) = (nil, end)
            } else if token.isWord("REFERENCES"), let column {
                foreignKeys.append(NamedColumns(name: name, columns: [column]))
                name = nil
            } else if token.isWord("PRIMARY") || token.isWord("NOT") || token.isWord("DEFAULT") {
                name = nil
            }
        }
    }

    /// Splits the tokens after `CREATE TABLE name (` at top-level commas, up to the closing `)`.
    private static func elements(_ tokens: ArraySlice<SQLToken>) -> [ArraySlice<SQLToken>] {
        var elements: [ArraySlice<SQLToken>] = []
        var depth = 0
        var start = tokens.startIndex
        for index in tokens.indices {
            let token = tokens[index]
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") {
                if depth == 0 {
                    elements.append(tokens[start..<index])
                    return elements
                }
                depth -= 1
            }
            if token.isSymbol(","), depth == 0 {
                elements.append(tokens[start..<index])
                start = index + 1
            }
        }
        return elements
    }

    /// The text range inside the parentheses opening at `index`, and the index after them.
    private static func parenthesized(_ tokens: ArraySlice<SQLToken>, from index: Int) -> (Range<String.Index>, Int)? {
        guard index < tokens.endIndex, tokens[index].isSymbol("(") else { return nil }
        var depth = 0
        for position in index..<tokens.endIndex {
            if tokens[position].isSymbol("(") { depth += 1 }
            if tokens[position].isSymbol(")") {
                depth -= 1
                if depth == 0 {
                    guard position > index + 1 else { return nil }
                    return (tokens[index + 1].range.lowerBound..<tokens[position - 1].range.upperBound, position + 1)
                }
            }
        }
        return nil
    }

    /// The column names in `(a, b COLLATE x DESC)` opening at `index`, and the index after it.
    private static func names(_ tokens: ArraySlice<SQLToken>, from index: Int) -> ([String], Int) {
        guard index < tokens.endIndex, tokens[index].isSymbol("(") else { return ([], index) }
        var names: [String] = []
        var expectName = true
        var position = index + 1
        while position < tokens.endIndex, !tokens[position].isSymbol(")") {
            if expectName, let name = tokens[position].identifier { names.append(name) }
            expectName = tokens[position].isSymbol(",")
            position += 1
        }
        return (names, position + 1)
    }
}
