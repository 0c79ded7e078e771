import TandemDatabase
import TandemSchema

/// What an operation is rendered against: the schema as the database has it just before the
/// operation, plus, for SQLite, each table's triggers, which a table rebuild creates again.
///
/// Read it from a database with ``TandemDatabase/Connection/introspectLiveSchema()``; for a
/// plan, where nothing runs, carry it forward with ``Operation/applying(to:)``.
public struct LiveSchema: Sendable, Hashable {
    /// The tables.
    public var schema: Schema
    /// SQLite's `CREATE TRIGGER` statements by table name; empty on PostgreSQL, which keeps
    /// triggers through every change an operation makes.
    public var triggers: [String: [String]]

    /// Creates a live schema.
    public init(_ schema: Schema = Schema(), triggers: [String: [String]] = [:]) {
        self.schema = schema
        self.triggers = triggers
    }

    /// The table with this name, or an ``OperationError`` naming what needed it.
    func table(_ name: String, for purpose: String) throws(OperationError) -> Table {
        guard let table = schema.table(named: name) else {
            throw OperationError("\(purpose): table \(name) does not exist")
        }
        return table
    }
}

extension Connection {
    /// The live schema: ``TandemSchema`` introspection, plus the triggers of each SQLite table.
    public func introspectLiveSchema() throws -> LiveSchema {
        let schema = try introspectSchema()
        guard dialect == .sqlite else { return LiveSchema(schema) }
        var triggers: [String: [String]] = [:]
        let rows = try query(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name")
        for row in rows {
            triggers[try row.decode(String.self, "tbl_name"), default: []].append(try row.decode(String.self, "sql"))
        }
        return LiveSchema(schema, triggers: triggers)
    }
}
