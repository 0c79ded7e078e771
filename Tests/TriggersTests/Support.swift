import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers

/// A table with an identity key, an old and a new column and an unrelated `note` column.
func syncTable(
    _ name: String = "item", old: Column = Column("old_value", .integer), new: Column = Column("new_value", .integer)
) -> Table {
    Table(name, columns: [.identity("id"), old, new, Column("note", .text)], primaryKey: ["id"])
}

extension Connection {
    /// Creates `table`.
    func create(_ table: Table) throws {
        for statement in DDL(dialect).createTable(table) {
            try execute(statement)
        }
    }

    /// The old and new values of every row of `sync`'s table, by id.
    func pairs(_ sync: ColumnSync) throws -> [Pair] {
        try query(
            "SELECT \(quoteIdentifier(sync.old)), \(quoteIdentifier(sync.new)) FROM \(quoteIdentifier(sync.table)) ORDER BY id"
        ).map { Pair($0[0], $0[1]) }
    }

    /// One value of the first row.
    func scalar<T: DatabaseValueConvertible>(_ sql: String, as type: T.Type = T.self) throws -> T {
        try query(sql)[0].decode(T.self, at: 0)
    }
}

/// A row's old and new column values, compared as database values.
struct Pair: Equatable, CustomStringConvertible {
    let old: DatabaseValue
    let new: DatabaseValue

    init(_ old: DatabaseValue, _ new: DatabaseValue) {
        self.old = old
        self.new = new
    }

    /// Integers, or NULL for nil.
    static func ints(_ old: Int?, _ new: Int?) -> Pair {
        Pair(old.map { .integer(Int64($0)) } ?? .null, new.map { .integer(Int64($0)) } ?? .null)
    }

    var description: String { "(\(old), \(new))" }
}
