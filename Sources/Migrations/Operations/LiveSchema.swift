import TandemDatabase
import TandemSchema
import TandemTriggers

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
    /// What depends on a column beyond what ``schema`` models, by table then column, each a
    /// description for messages: expression indexes, views, the application's triggers (see
    /// ``TandemDatabase/Connection/introspectLiveSchema()``). A contract step cannot carry these
    /// over to the new column, so it refuses to drop a column that has any.
    public var dependents: [String: [String: [String]]]
    /// SQLite's `CREATE INDEX` statements of indexes on expressions, which ``schema`` does not
    /// model, by table name: a table rebuild creates them again, as it does the triggers.
    public var expressionIndexes: [String: [String]]
    /// The column syncs installed: the expand steps whose contract step has not run.
    public var syncs: [ColumnSync]
    /// The database it was read from; nil for a schema built by hand. What an operation can do
    /// beyond the schema model depends on it (see ``Operation/primitives(in:resuming:)``).
    public var dialect: Dialect?
    /// PostgreSQL: the names of the INVALID indexes, which a `CREATE INDEX CONCURRENTLY` that did
    /// not finish (failed, cancelled, or its runner killed) leaves behind. Empty on SQLite.
    public var invalidIndexes: Set<String>
    /// PostgreSQL: the NOT VALID constraints by table, then name, which an `ADD CONSTRAINT … NOT
    /// VALID` whose validation did not run or finish leaves behind. Empty on SQLite.
    public var unvalidatedConstraints: [String: Set<String>]

    /// Creates a live schema.
    public init(
        _ schema: Schema = Schema(), triggers: [String: [String]] = [:], dependents: [String: [String: [String]]] = [:],
        expressionIndexes: [String: [String]] = [:], syncs: [ColumnSync] = [], dialect: Dialect? = nil,
        invalidIndexes: Set<String> = [], unvalidatedConstraints: [String: Set<String>] = [:]
    ) {
        self.schema = schema
        self.triggers = triggers
        self.dependents = dependents
        self.expressionIndexes = expressionIndexes
        self.syncs = syncs
        self.dialect = dialect
        self.invalidIndexes = invalidIndexes
        self.unvalidatedConstraints = unvalidatedConstraints
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
    /// The live schema: ``TandemSchema`` introspection, plus the triggers of each SQLite table
    /// and the objects that depend on columns without being part of the schema's model.
    public func introspectLiveSchema() throws -> LiveSchema {
        let schema = try introspectSchema()
        let syncs = try installedColumnSyncs().compactMap(\.sync)
        guard dialect == .sqlite else {
            return LiveSchema(
                schema, dependents: try postgresColumnDependents(), syncs: syncs, dialect: .postgres,
                invalidIndexes: Set(try invalidIndexes().map(\.name)),
                unvalidatedConstraints: try unvalidatedConstraints().reduce(into: [:]) {
                    $0[$1.table, default: []].insert($1.name)
                })
        }
        var triggers: [String: [String]] = [:]
        let rows = try query(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name")
        for row in rows {
            triggers[try row.decode(String.self, "tbl_name"), default: []].append(try row.decode(String.self, "sql"))
        }
        let indexes = try sqliteExpressionIndexes()
        return LiveSchema(
            schema, triggers: triggers,
            dependents: try sqliteColumnDependents(schema, triggers: triggers, indexes: indexes),
            expressionIndexes: indexes.mapValues { $0.map(\.sql) }, syncs: syncs, dialect: .sqlite)
    }
}
