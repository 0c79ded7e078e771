/// One difference between two schemas, as a change from the old schema to the new one.
///
/// ```swift
/// for difference in live.differences(from: expected) { print(difference) }
/// // table "task": column "state" changed: type text → varchar(20), NULL → NOT NULL
/// ```
public enum SchemaDifference: Sendable, Hashable, CustomStringConvertible {
    /// A table only the new schema has.
    case addedTable(Table)
    /// A table only the old schema has.
    case removedTable(Table)
    /// A column only the new table has.
    case addedColumn(table: String, Column)
    /// A column only the old table has.
    case removedColumn(table: String, Column)
    /// A column both tables have, with another type, nullability, default or identity.
    case changedColumn(table: String, from: Column, to: Column)
    /// The columns both tables have, in another order.
    case reorderedColumns(table: String, from: [String], to: [String])
    /// Another primary key.
    case changedPrimaryKey(table: String, from: [String], to: [String])
    /// A constraint only the new table has.
    case addedConstraint(table: String, TableConstraint)
    /// A constraint only the old table has.
    case removedConstraint(table: String, TableConstraint)
    /// A constraint of the same name with another definition.
    case changedConstraint(table: String, from: TableConstraint, to: TableConstraint)
    /// An index only the new table has.
    case addedIndex(table: String, Index)
    /// An index only the old table has.
    case removedIndex(table: String, Index)
    /// An index of the same name with another definition.
    case changedIndex(table: String, from: Index, to: Index)

    /// The name of the table the difference is about.
    public var table: String {
        switch self {
        case .addedTable(let table), .removedTable(let table): table.name
        case .addedColumn(let table, _), .removedColumn(let table, _), .changedColumn(let table, _, _),
            .reorderedColumns(let table, _, _), .changedPrimaryKey(let table, _, _), .addedConstraint(let table, _),
            .removedConstraint(let table, _), .changedConstraint(let table, _, _), .addedIndex(let table, _),
            .removedIndex(let table, _), .changedIndex(let table, _, _):
            table
        }
    }

    /// A sentence for messages, naming the table and what changed.
    public var description: String {
        let prefix = "table \"\(table)\": "
        switch self {
        case .addedTable: return "added table \"\(table)\""
        case .removedTable: return "removed table \"\(table)\""
        case .addedColumn(_, let column): return prefix + "added column " + Self.describe(column)
        case .removedColumn(_, let column): return prefix + "removed column " + Self.describe(column)
        case .changedColumn(_, let old, let new):
            return prefix + "column \"\(new.name)\" changed: " + Self.changes(old, new).joined(separator: ", ")
        case .reorderedColumns(_, let old, let new):
            return prefix + "columns reordered from (\(old.joined(separator: ", "))) to (\(new.joined(separator: ", ")))"
        case .changedPrimaryKey(_, let old, let new):
            return prefix + "primary key changed from (\(old.joined(separator: ", "))) to (\(new.joined(separator: ", ")))"
        case .addedConstraint(_, let constraint): return prefix + "added constraint " + constraint.description
        case .removedConstraint(_, let constraint): return prefix + "removed constraint " + constraint.description
        case .changedConstraint(_, let old, let new):
            return prefix + "constraint changed from " + old.description + " to " + new.description
        case .addedIndex(_, let index): return prefix + "added index " + Self.describe(index)
        case .removedIndex(_, let index): return prefix + "removed index " + Self.describe(index)
        case .changedIndex(_, let old, let new):
            return prefix + "index changed from " + Self.describe(old) + " to " + Self.describe(new)
        }
    }

    private static func describe(_ column: Column) -> String {
        var text = "\"\(column.name)\" \(column.type.name)" + (column.isNullable ? " NULL" : " NOT NULL")
        if let defaultValue = column.defaultValue { text += " DEFAULT " + defaultValue.description }
        if column.isIdentity { text += " IDENTITY" }
        return text
    }

    private static func describe(_ index: Index) -> String {
        var text = "\"\(index.name ?? "")\" " + (index.isUnique ? "UNIQUE " : "") + "(\(index.columns.joined(separator: ", ")))"
        if let predicate = index.predicate { text += " WHERE " + predicate.sql }
        return text
    }

    private static func changes(_ old: Column, _ new: Column) -> [String] {
        var changes: [String] = []
        if old.type != new.type { changes.append("type \(old.type.name) → \(new.type.name)") }
        if old.isNullable != new.isNullable { changes.append(old.isNullable ? "NULL → NOT NULL" : "NOT NULL → NULL") }
        if old.defaultValue != new.defaultValue {
            changes.append("default \(old.defaultValue?.description ?? "none") → \(new.defaultValue?.description ?? "none")")
        }
        if old.isIdentity != new.isIdentity { changes.append(old.isIdentity ? "no longer identity" : "now identity") }
        return changes
    }
}
