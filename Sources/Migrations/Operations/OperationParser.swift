import TandemSchema
import Yams

/// Reads the items of a migration file's `operations:` list into ``Operation`` values.
///
/// Each item is a mapping with one key, the operation's name, whose value holds its arguments;
/// the article "Writing migrations" shows every form. Mistakes are recorded on the
/// ``YAMLReader`` with their lines, and the item is skipped.
struct OperationParser {
    /// The operation names a file may use, in documentation order.
    static let names = [
        "create_table", "drop_table", "add_column", "drop_column", "create_index", "drop_index", "add_foreign_key",
        "add_check", "drop_constraint", "set_not_null", "drop_not_null", "set_default", "sql",
        "backfill", "rename_column", "complete_rename", "change_type", "complete_change_type",
    ]

    /// Where mistakes go.
    let reader: YAMLReader

    /// The operation `node` describes, or nil after recording why it is invalid.
    func operation(_ node: Node) -> LocatedOperation? {
        guard let mapping = node.mapping, mapping.count == 1, let (key, value) = mapping.first else {
            reader.fail(
                node, "an operation must be a mapping with one key, the operation's name, not \(YAMLReader.kind(node))")
            return nil
        }
        guard let name = key.scalar?.string, Self.names.contains(name) else {
            let text = key.scalar?.string ?? YAMLReader.kind(key)
            reader.fail(key, "unknown operation '\(text)' (expected one of: \(Self.names.joined(separator: ", ")))")
            return nil
        }
        return parse(name, value).map { LocatedOperation($0, line: key.mark?.line ?? 1) }
    }

    private func parse(_ name: String, _ node: Node) -> Operation? {
        switch name {
        case "create_table": return createTable(node)
        case "drop_table":
            guard let fields = reader.fields(node, name, allowed: ["name"], required: ["name"]) else { return nil }
            let table = fields.read("name") { reader.name($0, "'name' in drop_table") }
            return table.map { .dropTable($0) }
        case "add_column":
            guard let fields = reader.fields(node, name, allowed: ["table", "column"], required: ["table", "column"])
            else { return nil }
            let table = tableName(fields, name), column = fields.read("column", column)
            guard fields.valid, let table, let column else { return nil }
            return .addColumn(table: table, column)
        case "drop_column", "set_not_null", "drop_not_null":
            guard let fields = reader.fields(node, name, allowed: ["table", "column"], required: ["table", "column"])
            else { return nil }
            let table = tableName(fields, name),
                column = fields.read("column") { reader.name($0, "'column' in \(name)") }
            guard fields.valid, let table, let column else { return nil }
            switch name {
            case "drop_column": return .dropColumn(table: table, column: column)
            case "set_not_null": return .setNotNull(table: table, column: column)
            default: return .dropNotNull(table: table, column: column)
            }
        case "create_index":
            guard
                let fields = reader.fields(
                    node, name, allowed: ["table"] + Self.indexKeys, required: ["table", "columns"])
            else {
                return nil
            }
            let table = tableName(fields, name), index = index(fields, name)
            guard fields.valid, let table, let index else { return nil }
            return .createIndex(table: table, index)
        case "drop_index", "drop_constraint":
            guard let fields = reader.fields(node, name, allowed: ["table", "name"], required: ["table", "name"]) else {
                return nil
            }
            let table = tableName(fields, name), object = fields.read("name") { reader.name($0, "'name' in \(name)") }
            guard fields.valid, let table, let object else { return nil }
            return name == "drop_index"
                ? .dropIndex(table: table, name: object) : .dropConstraint(table: table, name: object)
        case "add_foreign_key":
            let required = ["table", "columns", "references"]
            guard let fields = reader.fields(node, name, allowed: ["table"] + Self.foreignKeyKeys, required: required)
            else { return nil }
            let table = tableName(fields, name), key = foreignKey(fields, name)
            guard fields.valid, let table, let key else { return nil }
            return .addForeignKey(table: table, key)
        case "add_check":
            guard
                let fields = reader.fields(
                    node, name, allowed: ["table", "name", "expression"], required: ["table", "expression"])
            else {
                return nil
            }
            let table = tableName(fields, name), check = check(fields, name)
            guard fields.valid, let table, let check else { return nil }
            return .addCheck(table: table, check)
        case "set_default": return setDefault(node)
        case "backfill": return backfill(node)
        case "rename_column", "complete_rename", "change_type", "complete_change_type": return columnChange(name, node)
        default: return sql(node)
        }
    }

    private func setDefault(_ node: Node) -> Operation? {
        let context = "set_default"
        guard
            let fields = reader.fields(
                node, context, allowed: ["table", "column", "default"], required: ["table", "column", "default"])
        else { return nil }
        let table = tableName(fields, context),
            column = fields.read("column") { reader.name($0, "'column' in set_default") }
        let value = fields.read("default") { nullableDefault($0, context: context) }
        guard fields.valid, let table, let column, let value else { return nil }
        return .setDefault(table: table, column: column, value)
    }

    private func sql(_ node: Node) -> Operation? {
        guard let fields = reader.fields(node, "sql", allowed: ["up", "down", "phase"], required: ["up", "phase"])
        else { return nil }
        let up = fields.read("up") { reader.name($0, "'up' in sql") }
        let down = fields.read("down") { reader.name($0, "'down' in sql") }
        let declared = fields.read("phase") { phase($0, "'phase' in sql") }
        guard fields.valid, let up, let declared else { return nil }
        return .sql(up: up, down: down, phase: declared)
    }

    /// `compatible` or `breaking`.
    func phase(_ node: Node, _ what: String) -> Phase? {
        guard let text = reader.string(node, what) else { return nil }
        guard let phase = Phase(rawValue: text) else {
            reader.fail(node, "unknown phase '\(text)' for \(what) (expected compatible or breaking)")
            return nil
        }
        return phase
    }

    /// The `table` argument.
    func tableName(_ fields: Fields, _ context: String) -> String? {
        fields.read("table") { reader.name($0, "'table' in \(context)") }
    }
}
