/// Any constraint of a table other than its primary key, for comparisons.
public enum TableConstraint: Sendable, Hashable {
    /// A foreign key.
    case foreignKey(ForeignKey)
    /// A unique constraint.
    case unique(UniqueConstraint)
    /// A check constraint.
    case check(CheckConstraint)

    /// The constraint's name (resolved names come from ``Table/normalized``).
    public var name: String? {
        switch self {
        case .foreignKey(let key): key.name
        case .unique(let unique): unique.name
        case .check(let check): check.name
        }
    }

    /// A dialect-neutral rendering: `"t_a_fkey" FOREIGN KEY (a) REFERENCES t (id) ON DELETE CASCADE`.
    public var description: String {
        let label = name.map { "\"\($0)\" " } ?? ""
        switch self {
        case .foreignKey(let key):
            var text = label + "FOREIGN KEY (\(key.columns.joined(separator: ", "))) REFERENCES \(key.referencedTable) "
            text += "(\(key.referencedColumns.joined(separator: ", ")))"
            if key.onDelete != .noAction { text += " ON DELETE " + key.onDelete.rawValue }
            if key.onUpdate != .noAction { text += " ON UPDATE " + key.onUpdate.rawValue }
            return text
        case .unique(let unique):
            return label + "UNIQUE (\(unique.columns.joined(separator: ", ")))"
        case .check(let check):
            return label + "CHECK (\(check.expression.sql))"
        }
    }
}

extension Table {
    /// The foreign keys, unique and check constraints of the table, in that order.
    public var constraints: [TableConstraint] {
        foreignKeys.map(TableConstraint.foreignKey) + uniqueConstraints.map(TableConstraint.unique)
            + checkConstraints.map(TableConstraint.check)
    }
}
