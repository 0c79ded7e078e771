import TandemDatabase
import TandemSchema
import TandemTriggers

extension Operation {
    /// The statements that apply this operation on `dialect`, rendered against `live`, the
    /// schema just before it.
    ///
    /// PostgreSQL alters in place without long exclusive locks: indexes are built and dropped
    /// `CONCURRENTLY` outside the transaction (a failed build's INVALID index is dropped by
    /// ``MigrationStatement/cleanupOnFailure``, and only an INVALID index of that name on that
    /// table); an index name another table or index holds is refused; foreign keys and checks are added `NOT VALID`
    /// and validated in a statement of their own, which takes only a SHARE UPDATE EXCLUSIVE
    /// lock; `set_not_null` proves the column with a validated check first, so that
    /// `SET NOT NULL` (PostgreSQL 12 and later) skips its scan. SQLite changes what `ALTER TABLE`
    /// cannot by rebuilding the table, keeping its rows, indexes and triggers.
    ///
    /// Names go through `Dialect.quote`, default values through `SQLLiteral`.
    ///
    /// - Throws: ``OperationError`` when the operation does not fit `live` (see
    ///   ``applying(to:)``).
    public func statements(for dialect: Dialect, schema live: LiveSchema) throws(OperationError) -> [MigrationStatement]
    {
        let ddl = DDL(dialect)
        switch (self, dialect) {
        case (.createTable(let table, let master, let detailOf), _):
            _ = try applying(to: live)
            return ddl.createTable(try Self.resolved(table, master: master, detailOf: detailOf, in: live)).map {
                MigrationStatement($0)
            }
        case (.dropTable(let name), _):
            _ = try live.table(name, for: "drop_table")
            return [MigrationStatement(ddl.dropTable(name))]
        case (.backfill, _):
            // A backfill is no statement the runner can run in a transaction: it runs through a
            // Backfiller, batch by batch (see ``Backfill/plannedStatements(for:schema:settings:)`` for plans).
            _ = try applying(to: live)
            return []
        case (.expandColumn, _), (.completeColumn, _):
            var live = live
            var statements: [MigrationStatement] = []
            for step in try primitives(in: live) {
                statements += try step.statements(for: dialect, schema: live)
                live = try step.applying(to: live)
            }
            return statements
        case (.installColumnSync(let sync), _):
            if dialect == .sqlite {
                try live.checkTriggerNames(free: sync)
                do { try sync.checkSQLiteCasts() } catch { throw OperationError(error.description) }
            }
            return try Self.resolved(sync, in: live).statements(for: dialect).map { MigrationStatement($0) }
        case (.removeColumnSync(let sync), _):
            _ = try live.table(sync.table, for: name)
            return sync.removalStatements(for: dialect).map { MigrationStatement($0) }
        case (.sql(let up, _, _), _):
            return SQLSplitter.statements(up).map { statement in
                // A concurrent build gets the cleanup a declared one has, so a run killed in it or
                // right after it is cleaned up or taken as done by the next (IndexBuildCleanup).
                let build = dialect == .postgres ? IndexBuildCleanup(rawStatement: statement) : nil
                return MigrationStatement(
                    statement, transactional: !Self.mustRunAlone(statement),
                    cleanupOnFailure: build.map { DDL.dropInvalidIndex($0.index, on: $0.table) })
            }
        case (_, .postgres):
            return try postgresStatements(live)
        case (_, .sqlite):
            return try sqliteStatements(live)
        }
    }

    private func postgresStatements(_ live: LiveSchema) throws(OperationError) -> [MigrationStatement] {
        let ddl = DDL(.postgres)
        _ = try changedTable(in: live)
        switch self {
        case .addColumn(let table, let column):
            return [MigrationStatement(ddl.addColumn(column, to: table))]
        case .dropColumn(let table, let column):
            return [MigrationStatement(ddl.dropColumn(column, from: table))]
        case .createIndex(let table, var index):
            let target = try live.indexTarget(index, on: table, for: name)
            index.name = target.name
            let build = MigrationStatement(
                ddl.createIndex(index, on: table, concurrently: true), transactional: false,
                cleanupOnFailure: DDL.dropInvalidIndex(target.name, on: table))
            switch target.earlier {
            case .none: return [build]
            case .finished: return []
            case .unfinished:
                return [
                    MigrationStatement(ddl.dropIndex(target.name, concurrently: true), transactional: false), build,
                ]
            }
        case .dropIndex(_, let name):
            // Run alone, outside the transaction that records the migration: a rerun after a kill
            // between the two finds the index gone, and must go on.
            return [MigrationStatement(ddl.dropIndex(name, concurrently: true, ifExists: true), transactional: false)]
        case .addForeignKey(let table, var key):
            let target = try live.constraintTarget(of: self)
            key.name = target.name
            return Self.validatedConstraint(
                ddl.addForeignKey(key, to: table, validated: false), name: target.name, table: table,
                earlier: target.earlier)
        case .addCheck(let table, var check):
            let target = try live.constraintTarget(of: self)
            check.name = target.name
            return Self.validatedConstraint(
                ddl.addCheck(check, to: table, validated: false), name: target.name, table: table,
                earlier: target.earlier)
        case .setNotNull(let table, let column):
            let check = CheckConstraint(
                SchemaExpression("\(quoteIdentifier(column)) IS NOT NULL"),
                name: ConstraintName.fitted(table + "_" + column, suffix: "_not_null"))
            return Self.validatedConstraint(
                ddl.addCheck(check, to: table, validated: false), name: check.name!, table: table,
                earlier: try live.notNullCheck(check, on: table)) + [
                    MigrationStatement(ddl.setNotNull(column, in: table)),
                    MigrationStatement(ddl.dropConstraint(check.name!, from: table)),
                ]
        case .dropNotNull(let table, let column):
            return [MigrationStatement(ddl.dropNotNull(column, in: table))]
        case .setDefault(let table, let column, let value?):
            return [MigrationStatement(ddl.setDefault(value, of: column, in: table))]
        case .setDefault(let table, let column, nil):
            return [MigrationStatement(ddl.dropDefault(of: column, in: table))]
        case .dropConstraint(let table, let name):
            return [MigrationStatement(ddl.dropConstraint(name, from: table))]
        case .createTable, .dropTable, .sql, .backfill, .expandColumn, .completeColumn, .installColumnSync,
            .removeColumnSync:
            preconditionFailure("rendered by statements(for:schema:)")
        }
    }

    private func sqliteStatements(_ live: LiveSchema) throws(OperationError) -> [MigrationStatement] {
        let ddl = DDL(.sqlite)
        let changed = try changedTable(in: live)!
        let old = try live.table(changed.name, for: name)
        switch self {
        case .addColumn(let table, let column) where column.isIdentity:
            throw OperationError(
                "add_column: SQLite cannot add identity column \(column.name) to existing table \(table)")
        case .addColumn(let table, let column) where Self.addsInPlace(column):
            return [MigrationStatement(ddl.addColumn(column, to: table))]
        case .dropColumn(let table, let column) where Self.dropsInPlace(column, from: old, leaving: changed):
            return [MigrationStatement(ddl.dropColumn(column, from: table))]
        case .createIndex(let table, var index):
            let target = try live.indexTarget(index, on: table, for: name)
            index.name = target.name
            return target.earlier == .none ? [MigrationStatement(ddl.createIndex(index, on: table))] : []
        case .dropIndex(_, let name):
            return [MigrationStatement(ddl.dropIndex(name))]
        default:
            let recreated = (live.expressionIndexes[old.name] ?? []) + (live.triggers[old.name] ?? [])
            return ddl.rebuildTable(from: old, to: changed, triggers: recreated).map {
                MigrationStatement($0, needsForeignKeysOff: true)
            }
        }
    }

    /// SQLite drops a column in place when no key, constraint or index uses it.
    private static func dropsInPlace(_ column: String, from old: Table, leaving changed: Table) -> Bool {
        var plain = old
        plain.columns.removeAll { $0.name == column }
        return plain == changed
    }

    /// SQLite adds a column in place when it is nullable or has a default, and the default is a constant.
    private static func addsInPlace(_ column: Column) -> Bool {
        switch column.defaultValue {
        case .expression: false
        case .literal: true
        case nil: column.isNullable
        }
    }

    /// `ADD CONSTRAINT … NOT VALID` in the migration's transaction, then `VALIDATE CONSTRAINT`
    /// alone, so the scan holds only a SHARE UPDATE EXCLUSIVE lock; a failed validation drops
    /// the constraint again.
    ///
    /// An earlier, interrupted attempt's constraint of the same definition is taken over: a NOT
    /// VALID one is validated (the same end as dropping and adding it again, without the strong
    /// locks of `DROP` and `ADD`), a valid one is kept as it is.
    private static func validatedConstraint(_ add: String, name: String, table: String, earlier: EarlierAttempt)
        -> [MigrationStatement]
    {
        let ddl = DDL(.postgres)
        let validate = MigrationStatement(
            ddl.validateConstraint(name, on: table), transactional: false,
            cleanupOnFailure: ddl.dropConstraint(name, from: table, ifExists: true))
        switch earlier {
        case .none: return [MigrationStatement(add), validate]
        case .unfinished: return [validate]
        case .finished: return []
        }
    }

    /// The sync with the two columns' defaults read from the table, as its triggers compare them.
    static func resolved(_ sync: ColumnSync, in live: LiveSchema) throws(OperationError) -> ColumnSync {
        let table = try live.table(sync.table, for: "install_column_sync")
        do {
            return try sync.resolved(in: table)
        } catch {
            throw OperationError("install_column_sync: \(error)")
        }
    }

    /// Statements PostgreSQL refuses inside a transaction block.
    private static func mustRunAlone(_ statement: String) -> Bool {
        let words = statement.uppercased().split { !($0.isLetter || $0 == "_") }
        return words.contains("CONCURRENTLY") || words.first == "VACUUM"
    }
}
