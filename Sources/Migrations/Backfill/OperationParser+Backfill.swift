import Yams

extension OperationParser {
    /// `backfill: {table, set: {column: SQL, …}, where: SQL, batch_size: N}`; `set` is required
    /// and not empty, its values SQL expressions (a string, or a number written as is).
    func backfill(_ node: Node) -> Operation? {
        let context = "backfill"
        guard
            let fields = reader.fields(
                node, context, allowed: ["table", "set", "where", "batch_size"], required: ["table", "set"])
        else { return nil }
        let table = tableName(fields, context)
        let assignments = fields.read("set", assignments)
        let predicate = fields.read("where") { reader.name($0, "'where' in backfill") }
        let batchSize = fields.read("batch_size", batchSize)
        guard fields.valid, let table, let assignments else { return nil }
        return .backfill(Backfill(table: table, set: assignments, where: predicate, batchSize: batchSize))
    }

    private func assignments(_ node: Node) -> [Backfill.Assignment]? {
        let what = "'set' in backfill"
        guard let mapping = node.mapping else {
            reader.fail(node, "\(what) must be a mapping of column: SQL expression, not \(YAMLReader.kind(node))")
            return nil
        }
        guard !mapping.keys.isEmpty else {
            reader.fail(node, "\(what) must name at least one column")
            return nil
        }
        var assignments: [Backfill.Assignment] = []
        for (key, value) in mapping {
            guard let column = reader.name(key, "each column of \(what)") else { continue }
            guard let expression = expression(value, "the value of \(column) in \(what)") else { continue }
            assignments.append(Backfill.Assignment(column, expression))
        }
        return assignments.count == mapping.keys.count ? assignments : nil
    }

    /// A SQL expression: a non-empty string, or a number, which reads the same in SQL.
    private func expression(_ node: Node, _ what: String) -> String? {
        if [.int, .float].contains(node.tagName), let scalar = node.scalar { return scalar.string }
        guard node.tagName == .str else {
            reader.fail(node, "\(what) must be a SQL expression (a string or a number), not \(YAMLReader.kind(node))")
            return nil
        }
        return reader.name(node, what)
    }

    private func batchSize(_ node: Node) -> Int? {
        guard node.tagName == .int, let value = node.int, value > 0 else {
            reader.fail(node, "'batch_size' in backfill must be a positive whole number, not \(YAMLReader.kind(node))")
            return nil
        }
        return value
    }
}
