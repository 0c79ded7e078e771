import Synchronization
import TandemDatabase

/// The tables one model's rows live in, master first, joined on the shared primary key.
struct TableChain: Sendable {
    let tables: [String]
    let primaryKey: String
    /// `"master" JOIN "detail" ON "detail"."key" = "master"."key" …`.
    let fromClause: String
    /// The master's key column, qualified: the only column name every joined table shares.
    let masterKey: String

    private static let cache = Mutex<[ObjectIdentifier: TableChain]>([:])

    /// The chain of a model type, built once per process.
    static func of<M: Model>(_ type: M.Type) -> TableChain {
        if let chain = cache.withLock({ $0[ObjectIdentifier(type)] }) { return chain }
        let chain = TableChain(tables: M.tableChain, primaryKey: M.primaryKey)
        cache.withLock { $0[ObjectIdentifier(type)] = chain }
        return chain
    }

    private init(tables: [String], primaryKey: String) {
        self.tables = tables
        self.primaryKey = primaryKey
        let qualifiedKey = { (index: Int) in quoteIdentifier(tables[index]) + "." + quoteIdentifier(primaryKey) }
        var clause = quoteIdentifier(tables[0])
        for index in tables.indices.dropFirst() {
            clause += " JOIN \(quoteIdentifier(tables[index])) ON \(qualifiedKey(index)) = \(qualifiedKey(index - 1))"
        }
        fromClause = clause
        masterKey = qualifiedKey(0)
    }

    /// Writes a column, qualifying the primary key when the join repeats it.
    func columnReference(_ name: String) -> String {
        tables.count > 1 && name == primaryKey ? masterKey : quoteIdentifier(name)
    }
}
