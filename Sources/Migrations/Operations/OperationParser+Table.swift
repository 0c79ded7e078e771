import TandemDatabase
import TandemSchema
import Yams

extension OperationParser {
    static let indexKeys = ["name", "columns", "unique", "where"]
    static let foreignKeyKeys = ["name", "columns", "references", "on_delete", "on_update"]
    private static let tableKeys = [
        "name", "columns", "primary_key", "master", "detail_of", "foreign_keys", "unique", "checks", "indexes",
    ]

    /// `create_table`, with every column, constraint and index checked against the columns.
    func createTable(_ node: Node) -> Operation? {
        let context = "create_table"
        guard let fields = reader.fields(node, context, allowed: Self.tableKeys, required: ["name", "columns"]) else {
            return nil
        }
        let name = fields.read("name") { reader.name($0, "'name' in create_table") }
        let columns = fields.read("columns") { node -> [Column]? in
            guard let items = reader.list(node, "'columns' in create_table") else { return nil }
            let columns = items.compactMap(column)
            return columns.count == items.count ? columns : nil
        }
        let primaryKey = fields.read("primary_key") { reader.names($0, "'primary_key' in create_table") } ?? []
        let master = fields.read("master") { reader.bool($0, "'master' in create_table") } ?? false
        let detailOf = fields.read("detail_of") { reader.name($0, "'detail_of' in create_table") }
        let foreignKeys = fields.read("foreign_keys") {
            items($0, "foreign_keys", Self.foreignKeyKeys, ["columns", "references"], foreignKey)
        }
        let unique = fields.read("unique") { items($0, "unique", ["name", "columns"], ["columns"], uniqueConstraint) }
        let checks = fields.read("checks") { items($0, "checks", ["name", "expression"], ["expression"], check) }
        let indexes = fields.read("indexes") { items($0, "indexes", Self.indexKeys, ["columns"], index) }
        guard fields.valid, let name, let columns else { return nil }
        let table = Table(
            name, columns: columns, primaryKey: primaryKey, foreignKeys: foreignKeys ?? [], unique: unique ?? [],
            checks: checks ?? [],
            indexes: indexes ?? [])
        guard TableCheck(reader: reader, node: node).check(table, master: master, detailOf: detailOf) else {
            return nil
        }
        return .createTable(table, master: master, detailOf: detailOf)
    }

    /// A column: `{name, type, null, default, identity}`.
    func column(_ node: Node) -> Column? {
        let context = "column"
        guard
            let fields = reader.fields(
                node, context, allowed: ["name", "type", "null", "default", "identity"], required: ["name"])
        else {
            return nil
        }
        let name = fields.read("name") { reader.name($0, "'name' in column") }
        let identity = fields.read("identity") { reader.bool($0, "'identity' in column") } ?? false
        let nullable = fields.read("null") { reader.bool($0, "'null' in column") } ?? true
        let type = fields.read("type") { node in
            reader.string(node, "'type' in column").flatMap { columnType($0, node: node) }
        }
        let defaultValue = fields.read("default") { nullableDefault($0, context: context) }
        guard fields.valid, let name else { return nil }
        if identity {
            guard type ?? .bigint == .bigint, defaultValue == nil else {
                reader.fail(node, "identity column '\(name)' must be bigint without a default")
                return nil
            }
            return Column.identity(name)
        }
        guard let type else {
            reader.fail(node, "missing key 'type' in column")
            return nil
        }
        return Column(name, type, nullable: nullable, default: defaultValue ?? nil)
    }

    /// An index from `{name, columns, unique, where}`.
    func index(_ fields: Fields, _ context: String) -> Index? {
        let columns = fields.read("columns") { reader.names($0, "'columns' in \(context)") }
        let name = fields.read("name") { reader.name($0, "'name' in \(context)") }
        let unique = fields.read("unique") { reader.bool($0, "'unique' in \(context)") } ?? false
        let predicate = fields.read("where") { reader.name($0, "'where' in \(context)") }
        guard fields.valid, let columns else { return nil }
        return Index(columns, unique: unique, where: predicate.map { SchemaExpression($0) }, name: name)
    }

    /// A foreign key from `{name, columns, references: {table, columns}, on_delete, on_update}`.
    func foreignKey(_ fields: Fields, _ context: String) -> ForeignKey? {
        let columns = fields.read("columns") { reader.names($0, "'columns' in \(context)") }
        let name = fields.read("name") { reader.name($0, "'name' in \(context)") }
        let target = fields.read("references") { node -> (String, [String])? in
            let what = "'references' in \(context)"
            guard
                let references = reader.fields(
                    node, what, allowed: ["table", "columns"], required: ["table", "columns"])
            else { return nil }
            let table = references.read("table") { reader.name($0, "'table' in \(what)") }
            let columns = references.read("columns") { reader.names($0, "'columns' in \(what)") }
            guard references.valid, let table, let columns else { return nil }
            return (table, columns)
        }
        let onDelete = fields.read("on_delete") { action($0, "'on_delete' in \(context)") } ?? .noAction
        let onUpdate = fields.read("on_update") { action($0, "'on_update' in \(context)") } ?? .noAction
        guard fields.valid, let columns, let target else { return nil }
        guard columns.count == target.1.count else {
            reader.fail(
                fields["references"],
                "\(context) pairs \(columns.count) column(s) with \(target.1.count) referenced column(s)")
            return nil
        }
        return ForeignKey(columns, references: target.0, target.1, onDelete: onDelete, onUpdate: onUpdate, name: name)
    }

    /// A check from `{name, expression}`.
    func check(_ fields: Fields, _ context: String) -> CheckConstraint? {
        let name = fields.read("name") { reader.name($0, "'name' in \(context)") }
        let expression = fields.read("expression") { reader.name($0, "'expression' in \(context)") }
        guard fields.valid, let expression else { return nil }
        return CheckConstraint(SchemaExpression(expression), name: name)
    }

    /// A default: a YAML string, number or boolean is a literal; `{expression: SQL}` an expression.
    func columnDefault(_ node: Node, context: String) -> ColumnDefault? {
        if node.mapping != nil {
            let what = "'default' in \(context)"
            guard let fields = reader.fields(node, what, allowed: ["expression"], required: ["expression"]),
                let expression = fields.read("expression", { reader.name($0, "'expression' in \(what)") })
            else { return nil }
            return .expression(SchemaExpression(expression))
        }
        switch node.tagName {
        case .str: return node.scalar.map { .literal(.text($0.string)) }
        case .int: if let value = node.int { return .literal(.integer(Int64(value))) }
        case .float: if let value = node.float { return .literal(.double(value)) }
        case .bool: if let value = node.bool { return .literal(.bool(value)) }
        default: break
        }
        reader.fail(
            node,
            "'default' in \(context) must be a string, number, true/false or {expression: SQL}, not \(YAMLReader.kind(node))"
        )
        return nil
    }

    /// A default that may be YAML null (no default): `.some(nil)` for null, nil when invalid.
    func nullableDefault(_ node: Node, context: String) -> ColumnDefault?? {
        if node.tagName == .null { return .some(nil) }
        guard let value = columnDefault(node, context: context) else { return nil }
        return .some(value)
    }

    /// A list of mappings under a `create_table` key, each read by `body`.
    private func items<T>(
        _ node: Node, _ key: String, _ allowed: [String], _ required: [String], _ body: (Fields, String) -> T?
    ) -> [T]? {
        guard let list = reader.list(node, "'\(key)' in create_table", nonEmpty: false) else { return nil }
        let context = "\(key) item"
        let values = list.compactMap { item -> T? in
            reader.fields(item, context, allowed: allowed, required: required).flatMap { body($0, context) }
        }
        return values.count == list.count ? values : nil
    }

    private func uniqueConstraint(_ fields: Fields, _ context: String) -> UniqueConstraint? {
        let name = fields.read("name") { reader.name($0, "'name' in \(context)") }
        let columns = fields.read("columns") { reader.names($0, "'columns' in \(context)") }
        guard fields.valid, let columns else { return nil }
        return UniqueConstraint(columns, name: name)
    }

    private func action(_ node: Node, _ what: String) -> ForeignKey.Action? {
        guard let text = reader.string(node, what) else { return nil }
        guard let action = ForeignKey.Action(rawValue: text.uppercased().replacingOccurrences(of: "_", with: " "))
        else {
            reader.fail(
                node,
                "unknown action '\(text)' for \(what) (expected cascade, restrict, set_null, set_default or no_action)")
            return nil
        }
        return action
    }

    func columnType(_ text: String, node: Node) -> ColumnType? {
        let spelled = text.lowercased().filter { $0 != " " }
        let simple: [String: ColumnType] = [
            "bigint": .bigint, "integer": .integer, "double": .double, "boolean": .boolean, "text": .text,
            "bytes": .bytes, "timestamp": .timestamp, "uuid": .uuid, "json": .json,
        ]
        if let type = simple[spelled] { return type }
        let arguments = spelled.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }.split(separator: ",").compactMap {
            Int($0)
        }
        if spelled.hasPrefix("varchar("), spelled.hasSuffix(")"), arguments.count == 1, arguments[0] > 0 {
            return .varchar(arguments[0])
        }
        if spelled.hasPrefix("decimal("), spelled.hasSuffix(")"), arguments.count == 2, arguments[0] > 0,
            (0...arguments[0]).contains(arguments[1])
        {
            return .decimal(precision: arguments[0], scale: arguments[1])
        }
        reader.fail(
            node,
            "unknown column type '\(text)' (expected bigint, integer, double, boolean, text, varchar(N), bytes, timestamp, uuid, json or decimal(P,S))"
        )
        return nil
    }
}
