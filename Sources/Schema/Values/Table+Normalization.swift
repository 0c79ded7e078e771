extension Table {
    /// The table in the form equality uses and the renderers write: every constraint and index
    /// named (default names filled in, long names fitted, see ``ConstraintName``) and sorted by
    /// name, primary-key columns NOT NULL, defaults converted for their column types.
    public var normalized: Table {
        var names = NameChooser(table: name)
        names.reserve(foreignKeys.compactMap(\.name) + uniqueConstraints.compactMap(\.name))
        names.reserve(checkConstraints.compactMap(\.name) + indexes.compactMap(\.name))
        var table = self
        table.columns = columns.map { column in
            var column = column.normalized
            if primaryKey.contains(column.name) { column.isNullable = false }
            return column
        }
        table.foreignKeys = foreignKeys.map { key in
            var key = key
            key.name = names.choose(key.name, columns: key.columns, suffix: "fkey")
            return key
        }.sorted { $0.name! < $1.name! }
        table.uniqueConstraints = uniqueConstraints.map { unique in
            var unique = unique
            unique.name = names.choose(unique.name, columns: unique.columns, suffix: "key")
            return unique
        }.sorted { $0.name! < $1.name! }
        table.checkConstraints = checkConstraints.map { check in
            var check = check
            check.name = names.choose(check.name, columns: [], suffix: "check")
            return check
        }.sorted { $0.name! < $1.name! }
        table.indexes = indexes.map { index in
            var index = index
            index.name = names.choose(index.name, columns: index.columns, suffix: "idx")
            return index
        }.sorted { $0.name! < $1.name! }
        return table
    }
}

extension Table: Hashable {
    /// Whether the tables' ``normalized`` forms have the same name, columns, key, constraints and indexes.
    public static func == (lhs: Table, rhs: Table) -> Bool {
        let lhs = lhs.normalized, rhs = rhs.normalized
        return lhs.name == rhs.name && lhs.columns == rhs.columns && lhs.primaryKey == rhs.primaryKey
            && lhs.foreignKeys == rhs.foreignKeys && lhs.uniqueConstraints == rhs.uniqueConstraints
            && lhs.checkConstraints == rhs.checkConstraints && lhs.indexes == rhs.indexes
    }

    /// Hashes the ``normalized`` form, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        let table = normalized
        hasher.combine(table.name)
        hasher.combine(table.columns)
        hasher.combine(table.primaryKey)
        hasher.combine(table.foreignKeys)
        hasher.combine(table.uniqueConstraints)
        hasher.combine(table.checkConstraints)
        hasher.combine(table.indexes)
    }
}

/// Chooses constraint and index names for one table, PostgreSQL style: the default name, or the
/// default name followed by 1, 2… when taken. Explicit names are kept (fitted to 63 bytes).
private struct NameChooser {
    let table: String
    private var used: Set<String> = []

    init(table: String) {
        self.table = table
    }

    mutating func reserve(_ names: [String]) {
        used.formUnion(names.map { ConstraintName.fitted($0) })
    }

    mutating func choose(_ explicit: String?, columns: [String], suffix: String) -> String {
        if let explicit { return ConstraintName.fitted(explicit) }
        var candidate = ConstraintName.default(table: table, columns: columns, suffix: suffix)
        var number = 0
        while used.contains(candidate) {
            number += 1
            candidate = ConstraintName.default(table: table, columns: columns, suffix: suffix + String(number))
        }
        used.insert(candidate)
        return candidate
    }
}
