import Foundation
import TandemDatabase
import TandemSchema
import TandemTriggers

/// Names shared by the operations' rendering.
enum OperationRendering {
    /// The master table's type column (DESIGN.md's master/detail contract).
    static let typeColumn = "pulp_type"
}

extension Operation {
    /// The schema after this operation, computed without a database: what a plan renders the
    /// next operation against. Raw `sql` leaves it as it is (Tandem cannot read SQL's effect).
    ///
    /// - Throws: ``OperationError`` when a table, column or constraint it names does not exist,
    ///   or a table it creates already does.
    public func applying(to live: LiveSchema) throws(OperationError) -> LiveSchema {
        var live = live
        switch self {
        case .createTable(let table, let master, let detailOf):
            guard live.schema.table(named: table.name) == nil else {
                throw OperationError("create_table: table \(table.name) already exists")
            }
            live.schema.tables.append(try Self.resolved(table, master: master, detailOf: detailOf, in: live))
        case .dropTable(let name):
            _ = try live.table(name, for: "drop_table")
            live.schema.tables.removeAll { $0.name == name }
            live.triggers[name] = nil
            live.expressionIndexes[name] = nil
            live.dependents[name] = nil
            live.syncs.removeAll { $0.table == name }
        case .sql:
            break
        case .expandColumn, .completeColumn:
            for step in try primitives(in: live) { live = try step.applying(to: live) }
        case .installColumnSync(let sync):
            // SQLite rebuilds must create the triggers again; PostgreSQL reads nothing from here.
            let installation = try Self.resolved(sync, in: live).statements(for: .sqlite)
            live.triggers[sync.table, default: []] += installation.filter { $0.hasPrefix("CREATE TRIGGER") }
            live.syncs.removeAll { $0.isSamePair(as: sync) }
            live.syncs.append(sync)
        case .removeColumnSync(let sync):
            _ = try live.table(sync.table, for: name)
            live.syncs.removeAll { $0.isSamePair(as: sync) }
            let names = sync.names.triggers(for: .sqlite)
            live.triggers[sync.table]?.removeAll { trigger in names.contains { trigger.contains(quoteIdentifier($0)) } }
        default:
            guard let changed = try changedTable(in: live) else { return live }
            live.schema.tables = live.schema.tables.map { $0.name == changed.name ? changed : $0 }
        }
        return live
    }

    /// The table a `create_table` makes: `pulp_type` added after the key for a master, and for a
    /// detail the primary key made a cascading foreign key to the parent's, whose key columns
    /// it must match in number and type.
    static func resolved(_ table: Table, master: Bool, detailOf: String?, in live: LiveSchema) throws(OperationError)
        -> Table
    {
        var table = table
        if master {
            let position = (table.columns.lastIndex { table.primaryKey.contains($0.name) } ?? -1) + 1
            table.columns.insert(Column(OperationRendering.typeColumn, .text, nullable: false), at: position)
        }
        guard let detailOf else { return table }
        let parent = try live.table(detailOf, for: "create_table \(table.name) detail_of")
        guard parent.primaryKey.count == table.primaryKey.count else {
            throw OperationError(
                "create_table \(table.name): its primary key has \(table.primaryKey.count) column(s), the parent \(detailOf)'s has \(parent.primaryKey.count)"
            )
        }
        for (own, inherited) in zip(table.primaryKey, parent.primaryKey) {
            let ownType = table.column(named: own)?.type, parentType = parent.column(named: inherited)?.type
            guard ownType == parentType else {
                throw OperationError(
                    "create_table \(table.name): primary key column \(own) is \(ownType?.name ?? "missing"), but the parent \(detailOf)'s \(inherited) is \(parentType?.name ?? "missing")"
                )
            }
        }
        table.foreignKeys.append(
            ForeignKey(table.primaryKey, references: detailOf, parent.primaryKey, onDelete: .cascade))
        return table
    }

    /// For an operation that alters one existing table, that table as it will be; nil for the
    /// others.
    func changedTable(in live: LiveSchema) throws(OperationError) -> Table? {
        guard let tableName = table, !isTableLevel else { return nil }
        var table = try live.table(tableName, for: name).normalized
        switch self {
        case .addColumn(_, let column):
            guard table.column(named: column.name) == nil else {
                throw OperationError("add_column: column \(tableName).\(column.name) already exists")
            }
            table.columns.append(column)
        case .dropColumn(_, let column):
            try Self.requireColumn(column, in: table, for: name)
            table = Self.dropping(column, from: table)
        case .createIndex(_, var index):
            // An earlier, interrupted attempt's index is taken over, not doubled.
            index.name = try live.indexTarget(index, on: tableName, for: name).name
            table.indexes.removeAll { $0.name == index.name }
            table.indexes.append(index)
        case .dropIndex(_, let index):
            table.indexes.removeAll { $0.name == index }
        case .addForeignKey(_, var key):
            key.name = try live.constraintTarget(of: self).name
            table.foreignKeys.removeAll { $0.name == key.name }
            table.foreignKeys.append(key)
        case .addCheck(_, var check):
            check.name = try live.constraintTarget(of: self).name
            table.checkConstraints.removeAll { $0.name == check.name }
            table.checkConstraints.append(check)
        case .dropConstraint(_, let constraint):
            let before = table
            table.foreignKeys.removeAll { $0.name == constraint }
            table.checkConstraints.removeAll { $0.name == constraint }
            table.uniqueConstraints.removeAll { $0.name == constraint }
            guard table != before else {
                throw OperationError("drop_constraint: table \(tableName) has no constraint \(constraint)")
            }
        case .setNotNull(_, let column), .dropNotNull(_, let column):
            try Self.requireColumn(column, in: table, for: name)
            table.columns = table.columns.map { candidate in
                guard candidate.name == column else { return candidate }
                var changed = candidate
                changed.isNullable = { if case .dropNotNull = self { true } else { false } }()
                return changed
            }
        case .setDefault(_, let column, let value):
            try Self.requireColumn(column, in: table, for: name)
            table.columns = table.columns.map { candidate in
                candidate.name == column
                    ? Column(
                        candidate.name, candidate.type, nullable: candidate.isNullable, default: value,
                        identity: candidate.isIdentity)
                    : candidate
            }
        case .backfill(let backfill):
            for assignment in backfill.assignments {
                try Self.requireColumn(assignment.column, in: table, for: name)
            }
            guard !table.primaryKey.isEmpty else {
                throw OperationError("backfill: table \(tableName) has no primary key to walk in batches")
            }
        case .createTable, .dropTable, .sql, .expandColumn, .completeColumn, .installColumnSync, .removeColumnSync:
            return nil
        }
        return table
    }

    /// The name of the index, foreign key or check this operation adds, as the database will
    /// call it: the one given, or the default name not yet taken on the table in `schema`.
    func addedName(in schema: Schema) -> String? {
        guard let tableName = table else { return nil }
        let old = (schema.table(named: tableName) ?? Table(tableName, columns: [])).normalized
        var new = old
        let given: String?
        switch self {
        case .createIndex(_, let index): new.indexes.append(index); given = index.name
        case .addForeignKey(_, let key): new.foreignKeys.append(key); given = key.name
        case .addCheck(_, let check): new.checkConstraints.append(check); given = check.name
        default: return nil
        }
        func names(_ table: Table) -> Set<String> {
            Set(
                table.foreignKeys.compactMap(\.name) + table.checkConstraints.compactMap(\.name)
                    + table.indexes.compactMap(\.name))
        }
        return given.map { ConstraintName.fitted($0) } ?? names(new.normalized).subtracting(names(old)).first
    }

    /// `table` without `column` and, as PostgreSQL's `DROP COLUMN` does, without the indexes and
    /// constraints that use it.
    static func dropping(_ column: String, from table: Table) -> Table {
        var table = table
        table.columns.removeAll { $0.name == column }
        if table.primaryKey.contains(column) { table.primaryKey = [] }
        table.indexes.removeAll { $0.columns.contains(column) || ($0.predicate.map { mentions($0, column) } ?? false) }
        table.uniqueConstraints.removeAll { $0.columns.contains(column) }
        table.foreignKeys.removeAll { $0.columns.contains(column) }
        table.checkConstraints.removeAll { mentions($0.expression, column) }
        return table
    }

    /// Whether `expression` names `column` (a word of the SQL, quoted or not).
    static func mentions(_ expression: SchemaExpression, _ column: String) -> Bool {
        expression.sql.split { !($0.isLetter || $0.isNumber || $0 == "_") }.contains { $0 == column }
    }

    private var isTableLevel: Bool {
        switch self {
        case .createTable, .dropTable, .sql: true
        default: false
        }
    }

    private static func requireColumn(_ column: String, in table: Table, for operation: String) throws(OperationError) {
        guard table.column(named: column) != nil else {
            throw OperationError("\(operation): column \(table.name).\(column) does not exist")
        }
    }
}
