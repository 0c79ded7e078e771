import TandemSchema
import Yams

/// Checks a `create_table` against itself: every column named by the key, a constraint or an
/// index exists, no column is declared twice, and `master` / `detail_of` are used as the
/// master/detail contract says.
struct TableCheck {
    /// Where mistakes go.
    let reader: YAMLReader
    /// The `create_table` mapping, for the line.
    let node: Node

    /// Whether `table` is consistent, after recording each problem.
    func check(_ table: Table, master: Bool, detailOf: String?) -> Bool {
        let before = reader.errors.count
        var seen: Set<String> = []
        for column in table.columns where !seen.insert(column.name).inserted {
            fail(table, "declares column '\(column.name)' twice")
        }
        let declared = seen.union(master ? [OperationRendering.typeColumn] : [])
        expect(table.primaryKey, in: table, declared, "primary_key")
        for key in table.foreignKeys {
            expect(key.columns, in: table, declared, "foreign key to \(key.referencedTable)")
        }
        for unique in table.uniqueConstraints { expect(unique.columns, in: table, declared, "unique constraint") }
        for index in table.indexes { expect(index.columns, in: table, declared, "index") }
        if master && detailOf != nil {
            fail(table, "cannot be both master and detail_of: a detail table's key references its parent's")
        }
        if master && seen.contains(OperationRendering.typeColumn) {
            fail(table, "declares '\(OperationRendering.typeColumn)', which master: true adds itself")
        }
        if detailOf != nil && table.primaryKey.isEmpty {
            fail(table, "has detail_of but no primary_key: the primary key is what references the parent's")
        }
        if detailOf != nil, table.primaryKey.contains(where: { table.column(named: $0)?.isIdentity == true }) {
            fail(table, "has detail_of, so its primary key takes the parent's values and cannot be an identity column")
        }
        return reader.errors.count == before
    }

    private func expect(_ columns: [String], in table: Table, _ declared: Set<String>, _ what: String) {
        for column in columns where !declared.contains(column) {
            fail(table, "\(what) names column '\(column)', which the table does not declare")
        }
    }

    private func fail(_ table: Table, _ message: String) {
        reader.fail(node, "create_table \(table.name) " + message)
    }
}
