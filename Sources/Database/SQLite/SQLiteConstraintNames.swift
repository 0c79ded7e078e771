/// The names SQLite's constraint messages carry, read into ``DatabaseError``'s fields so callers
/// need not parse messages: `UNIQUE constraint failed: t.a, t.b`, `NOT NULL constraint failed:
/// t.a`, `CHECK constraint failed: name`. SQLite's messages hold names, never row values.
struct SQLiteConstraintNames: Equatable {
    var constraint: String?
    var table: String?
    var column: String?

    init(constraint: String? = nil, table: String? = nil, column: String? = nil) {
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// The names in `message`; all nil when it is not a constraint failure that names any.
    init(message: String) {
        self.init()
        if let name = Self.suffix(of: message, after: "CHECK constraint failed: ") {
            constraint = name
            return
        }
        guard
            let list = Self.suffix(of: message, after: "UNIQUE constraint failed: ")
                ?? Self.suffix(of: message, after: "NOT NULL constraint failed: ")
        else { return }
        // `index 'name'` (an expression index) names no table.
        let columns = list.split(separator: ", ").map { $0.split(separator: ".", maxSplits: 1) }
        guard let first = columns.first, first.count == 2, columns.allSatisfy({ $0.count == 2 && $0[0] == first[0] })
        else { return }
        table = String(first[0])
        if columns.count == 1 { column = String(first[1]) }
    }

    private static func suffix(of message: String, after prefix: String) -> String? {
        guard message.hasPrefix(prefix), message.count > prefix.count else { return nil }
        return String(message.dropFirst(prefix.count))
    }
}
