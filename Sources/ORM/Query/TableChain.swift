import TandemDatabase

/// The tables one model's rows live in, master first, joined on the shared primary key.
struct TableChain: Sendable {
    let tables: [String]
    let primaryKey: String

    init<M: Model>(_ type: M.Type) {
        tables = M.tableChain
        primaryKey = M.primaryKey
    }

    /// `"master" JOIN "detail" ON "detail"."key" = "master"."key" …`.
    var fromClause: String {
        var clause = quoteIdentifier(tables[0])
        for index in tables.indices.dropFirst() {
            clause += " JOIN \(quoteIdentifier(tables[index])) ON \(qualifiedKey(index)) = \(qualifiedKey(index - 1))"
        }
        return clause
    }

    /// The master's key column, qualified: the only column name every joined table shares.
    var masterKey: String { qualifiedKey(0) }

    /// Writes a column, qualifying the primary key when the join repeats it.
    func columnReference(_ name: String) -> String {
        tables.count > 1 && name == primaryKey ? masterKey : quoteIdentifier(name)
    }

    private func qualifiedKey(_ index: Int) -> String {
        quoteIdentifier(tables[index]) + "." + quoteIdentifier(primaryKey)
    }
}
