import TandemSchema
import Yams

extension OperationParser {
    /// `rename_column` / `complete_rename: {table, from, to}`;
    /// `change_type: {table, column, to, type, up, down}` / `complete_change_type: {table, column, to}`.
    ///
    /// A type change writes to a new column that keeps its name after completion (renaming it back
    /// would break the code that uses it): `to` defaults to `<column>_new`.
    func columnChange(_ name: String, _ node: Node) -> Operation? {
        let isRename = name.hasSuffix("rename") || name == "rename_column"
        let isExpand = !name.hasPrefix("complete_")
        let allowed = isRename ? ["table", "from", "to"] : (isExpand ? ["table", "column", "to", "type", "up", "down"] : ["table", "column", "to"])
        let required = isRename ? ["table", "from", "to"] : (isExpand ? ["table", "column", "type", "up", "down"] : ["table", "column"])
        guard let fields = reader.fields(node, name, allowed: allowed, required: required) else { return nil }
        let table = tableName(fields, name)
        let old = fields.read(isRename ? "from" : "column") { reader.name($0, "'\(isRename ? "from" : "column")' in \(name)") }
        let given = fields.read("to") { reader.name($0, "'to' in \(name)") }
        let type = isExpand && !isRename ? fields.read("type") { typeNode in
            reader.string(typeNode, "'type' in \(name)").flatMap { columnType($0, node: typeNode) }
        } : nil
        let up = fields.read("up") { reader.name($0, "'up' in \(name)") }
        let down = fields.read("down") { reader.name($0, "'down' in \(name)") }
        guard fields.valid, let table, let old else { return nil }
        if isExpand, !isRename, type == nil || up == nil || down == nil { return nil }
        let new = given ?? old + "_new"
        guard new != old else {
            reader.fail(node, "\(name): the new column must differ from \(old)")
            return nil
        }
        let change = ColumnChange(
            kind: isRename ? .rename : .changeType, table: table, old: old, new: new, type: type, up: up, down: down)
        return isExpand ? .expandColumn(change) : .completeColumn(change)
    }
}
