import Synchronization
import TandemDatabase

/// Statement texts the ORM has built, by model type and purpose, so hot paths (find, insert,
/// update) build each text once per process instead of once per call.
enum StatementCache {
    struct Key: Hashable {
        let type: ObjectIdentifier
        let purpose: Purpose
        let dialect: Dialect
    }

    /// What a statement does; a value rather than text, so looking one up allocates nothing.
    enum Purpose: Hashable {
        /// The INSERT into level `level` of the table chain, with or without `RETURNING` the key.
        case insert(level: Int, returningKey: Bool)
        /// The UPDATE of level `level` of the table chain.
        case update(level: Int)
        /// The SELECT of one value by primary key.
        case find
    }

    private struct Entry {
        let columns: [String]
        let sql: String
    }

    private static let entries = Mutex<[Key: Entry]>([:])

    /// The cached text for `key` built from exactly these `columns`, or a new one from `build`.
    ///
    /// The columns are part of the check because a custom `encode(to:)` may write different
    /// columns from one value to the next.
    static func statement<Failure: Error>(
        _ key: Key, columns: [String] = [], build: () throws(Failure) -> String
    ) throws(Failure) -> String {
        if let entry = entries.withLock({ $0[key] }), entry.columns == columns { return entry.sql }
        let sql = try build()
        entries.withLock { $0[key] = Entry(columns: columns, sql: sql) }
        return sql
    }
}
