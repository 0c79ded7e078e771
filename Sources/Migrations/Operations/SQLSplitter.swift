import Foundation

/// Splits raw SQL at the `;` that end statements, leaving alone those inside quotes, quoted
/// names, comments and PostgreSQL dollar-quoted bodies (`$$ … $$`, `$tag$ … $tag$`), so a
/// function body or a string holding `;` stays one statement. A SQLite `CREATE TRIGGER … BEGIN
/// …; …; END` is one statement too: its `;` split nothing until the `END`.
enum SQLSplitter {
    /// The statements of `sql`, trimmed, without empty ones or the final `;`.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var characters = Array(sql)[...]
        while let character = characters.popFirst() {
            switch character {
            case "'", "\"":
                current.append(character)
                while let next = characters.popFirst() {
                    current.append(next)
                    if next == character { break }
                }
            case "-" where characters.first == "-":
                current.append(character)
                while let next = characters.first, next != "\n" { current.append(characters.removeFirst()) }
            case "/" where characters.first == "*":
                current.append(character)
                while let next = characters.popFirst() {
                    current.append(next)
                    if next == "*", characters.first == "/" {
                        current.append(characters.removeFirst())
                        break
                    }
                }
            case "$":
                let tagBody = characters.prefix { $0 != "$" && ($0.isLetter || $0.isNumber || $0 == "_") }
                if characters.dropFirst(tagBody.count).first == "$", tagBody.first?.isNumber != true {
                    let tag = "$" + String(tagBody) + "$"
                    characters = characters.dropFirst(tagBody.count + 1)
                    current += tag
                    while !characters.isEmpty, !String(characters.prefix(tag.count)).elementsEqual(tag) {
                        current.append(characters.removeFirst())
                    }
                    current += String(characters.prefix(tag.count))
                    characters = characters.dropFirst(tag.count)
                } else {
                    current.append(character)
                }
            case ";" where isOpenTriggerBody(current):
                current.append(character)
            case ";":
                statements.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !isBlank($0) }
    }

    /// Whether `statement` is a `CREATE TRIGGER` whose `BEGIN` has not met its `END` yet (SQLite's
    /// trigger bodies; PostgreSQL's triggers call a function and have no `BEGIN`).
    private static func isOpenTriggerBody(_ statement: String) -> Bool {
        let words = statement.uppercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }
        guard let create = words.firstIndex(of: "CREATE"),
            words[create...].prefix(4).contains("TRIGGER"), words.contains("BEGIN")
        else { return false }
        return words.last != "END"
    }

    /// Whether `statement` holds only comments.
    private static func isBlank(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        } && !statement.contains("/*")
    }
}
