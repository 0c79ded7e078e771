import Foundation
import TandemDatabase
import TandemSchema
import TandemTriggers

extension Operation {
    /// The primitive operations this one stands for, against `live`: a column change's steps,
    /// or the operation itself.
    ///
    /// The expand step (`rename_column`, `change_type`) is: add the new column (nullable, no
    /// default: the triggers fill it); when the old column is NOT NULL without a default, relax it
    /// and check instead that one of the two is set (new code never writes the old column, and
    /// SQLite checks constraints before its triggers run); install the dual-write triggers; and
    /// backfill in batches with a no-op `SET old = old`, which fires the triggers; then build a
    /// unique index on the new column for each unique index or constraint of the old one
    /// (concurrently on PostgreSQL), so that new code's upserts work during the expand phase.
    ///
    /// The contract step (`complete_rename`, `complete_change_type`) is: remove the triggers and
    /// the relaxed check; give the new column the old one's NOT NULL, default, indexes, unique,
    /// foreign-key and check constraints (built without blocking writes on PostgreSQL; a unique
    /// index the expand step built is adopted, not built twice); drop the old column; on
    /// PostgreSQL, turn the unique index back into the old column's named unique constraint.
    ///
    /// - Throws: ``OperationError`` when the columns do not fit: the old column is missing, the
    ///   new one exists already (expand) or is missing (contract: the expand step was not applied),
    ///   another table's foreign key references the old column, or (contract) an expression index,
    ///   a view or a trigger of the application depends on the old column (``LiveSchema/dependents``),
    ///   which dropping it would take along.
    ///
    /// When `resuming` an interrupted run, an expand step whose new column exists lists the same
    /// steps again (the runner skips those already applied and resumes the backfill).
    public func primitives(in live: LiveSchema, resuming: Bool = false) throws(OperationError) -> [Operation] {
        switch self {
        case .expandColumn(let change): try change.expansion(in: live, resuming: resuming)
        case .completeColumn(let change): try change.completion(in: live)
        default: [self]
        }
    }
}

extension ColumnChange {
    /// The file's operation name for the expand step.
    var expandName: String { kind == .rename ? "rename_column" : "change_type" }
    /// The file's operation name for the contract step.
    var completeName: String { kind == .rename ? "complete_rename" : "complete_change_type" }

    func expansion(in live: LiveSchema, resuming: Bool = false) throws(OperationError) -> [Operation] {
        let table = try live.table(self.table, for: expandName)
        guard let oldColumn = table.column(named: old) else {
            throw OperationError("\(expandName): column \(self.table).\(old) does not exist")
        }
        if let other = live.syncs.first(where: {
            $0.table == self.table && !$0.isSamePair(as: sync) && !Set([$0.old, $0.new]).isDisjoint(with: [old, new])
        }) {
            throw OperationError(
                "\(expandName): \(other.describe()) is still installed by an earlier expand step; "
                    + "complete that change before changing \(self.table).\(old) again (chained changes are refused)")
        }
        if resuming, let newColumn = table.column(named: new) {
            let relaxed = table.normalized.checkConstraints.contains { $0.name == relaxedCheck.name }
            return [.addColumn(table: self.table, Column(new, newColumn.type, nullable: true))]
                + (relaxed
                    ? [.dropNotNull(table: self.table, column: old), .addCheck(table: self.table, relaxedCheck)] : [])
                + [.installColumnSync(sync), .backfill(noOpBackfill)] + uniqueIndexSteps(table)
        }
        guard table.column(named: new) == nil else {
            throw OperationError("\(expandName): column \(self.table).\(new) already exists")
        }
        guard !oldColumn.isIdentity, !table.primaryKey.contains(old) else {
            throw OperationError("\(expandName): \(self.table).\(old) is part of the primary key or an identity column")
        }
        try checkExpressions(against: table)
        var steps: [Operation] = [.addColumn(table: self.table, Column(new, type ?? oldColumn.type, nullable: true))]
        if !oldColumn.isNullable, oldColumn.defaultValue == nil {
            steps.append(.dropNotNull(table: self.table, column: old))
            steps.append(.addCheck(table: self.table, relaxedCheck))
        }
        steps.append(.installColumnSync(sync))
        steps.append(.backfill(noOpBackfill))
        return steps + uniqueIndexSteps(table)
    }

    func completion(in live: LiveSchema) throws(OperationError) -> [Operation] {
        let table = try live.table(self.table, for: completeName).normalized
        guard let oldColumn = table.column(named: old) else {
            throw OperationError("\(completeName): column \(self.table).\(old) does not exist")
        }
        guard let newColumn = table.column(named: new) else {
            throw OperationError(
                "\(completeName): column \(self.table).\(new) does not exist: apply the expand step (\(expandName)) first"
            )
        }
        let referencing = live.schema.tables.filter { other in
            other.foreignKeys.contains { $0.referencedTable == self.table && $0.referencedColumns.contains(old) }
        }
        guard referencing.isEmpty else {
            throw OperationError(
                "\(completeName): \(self.table).\(old) is referenced by foreign keys of \(referencing.map(\.name).joined(separator: ", ")); "
                    + "move those references first")
        }
        if let dependents = live.dependents[self.table]?[old], !dependents.isEmpty {
            throw OperationError(
                "\(completeName): cannot carry over to \(new) what depends on \(self.table).\(old): "
                    + dependents.joined(separator: "; ")
                    + "; create its equivalent on \(new) and drop it in an earlier migration, then complete the change")
        }
        let relaxed = table.checkConstraints.contains { $0.name == relaxedCheck.name }
        var steps: [Operation] = [.removeColumnSync(sync)]
        if relaxed { steps.append(.dropConstraint(table: self.table, name: relaxedCheck.name!)) }
        if let value = oldColumn.defaultValue, newColumn.defaultValue == nil,
            let carried = carried(value, to: newColumn.type)
        {
            steps.append(.setDefault(table: self.table, column: new, carried))
        }
        if (relaxed || !oldColumn.isNullable), newColumn.isNullable {
            steps.append(.setNotNull(table: self.table, column: new))
        }
        for index in carriedIndexes(of: table) where !table.indexes.contains(where: { same($0, index) }) {
            steps.append(.createIndex(table: self.table, index))
        }
        for key in table.foreignKeys where key.columns.contains(old) {
            var carriedKey = key
            carriedKey.columns = renamed(key.columns)
            carriedKey.name = nil
            steps.append(.addForeignKey(table: self.table, carriedKey))
        }
        for check in table.checkConstraints where check.name != relaxedCheck.name && mentions(check.expression.sql) {
            steps.append(.addCheck(table: self.table, CheckConstraint(renamed(check.expression))))
        }
        steps.append(.dropColumn(table: self.table, column: old))
        return steps + restoredUniqueConstraints(of: table, in: live)
    }

    /// The old column's indexes and unique constraints, on the new column instead: what the
    /// contract step gives the new column.
    private func carriedIndexes(of table: Table) -> [Index] {
        var result: [Index] = []
        let normalized = table.normalized
        let indexes =
            normalized.indexes.filter { $0.columns.contains(old) }.map {
                Index(renamed($0.columns), unique: $0.isUnique, where: $0.predicate.map(renamed))
            }
            + normalized.uniqueConstraints.filter { $0.columns.contains(old) }.map {
                Index(renamed($0.columns), unique: true)
            }
        for index in indexes where !result.contains(where: { same($0, index) }) { result.append(index) }
        return result
    }

    /// The expand step's unique indexes on the new column, one for each unique index or
    /// constraint of the old one that the table does not have yet: new code's upserts
    /// (`ON CONFLICT (new)`) need them from the start, and the contract step adopts them
    /// instead of building them again.
    private func uniqueIndexSteps(_ table: Table) -> [Operation] {
        carriedIndexes(of: table).filter { index in
            index.isUnique && !table.normalized.indexes.contains { same($0, index) }
        }.map { .createIndex(table: self.table, $0) }
    }

    /// PostgreSQL: the old column's named unique constraints, back as constraints of the same
    /// name on the new column, made from the unique index the new column has by then
    /// (`ADD CONSTRAINT … UNIQUE USING INDEX`, which renames the index); they run after the old
    /// column, and its constraint, are dropped. SQLite adds no constraint to an existing table:
    /// there the unique index stands in for it, with the same effect.
    private func restoredUniqueConstraints(of table: Table, in live: LiveSchema) -> [Operation] {
        guard live.dialect == .postgres else { return [] }
        return table.uniqueConstraints.filter { $0.columns.contains(old) }.compactMap { unique in
            guard let name = unique.name else { return nil }
            let carried = Index(renamed(unique.columns), unique: true)
            let index =
                table.indexes.first { same($0, carried) }?.name
                ?? Table(self.table, columns: [], indexes: [carried]).normalized.indexes[0].name!
            return .sql(
                up:
                    "ALTER TABLE \(quoteIdentifier(self.table)) ADD CONSTRAINT \(quoteIdentifier(name)) UNIQUE USING INDEX "
                    + quoteIdentifier(index),
                down: nil, phase: .breaking)
        }
    }

    /// Whether two indexes serve the same purpose: same columns, uniqueness, and partial or not
    /// (a predicate read back from the database is printed differently from the one written).
    private func same(_ lhs: Index, _ rhs: Index) -> Bool {
        lhs.columns == rhs.columns && lhs.isUnique == rhs.isUnique && (lhs.predicate == nil) == (rhs.predicate == nil)
    }

    /// `SET old = old` in batches: a write to neither column, which the triggers answer by
    /// computing the new column from the old. It must not change the application's data, so it
    /// is quiet (``Backfill/quietAssignments``): on PostgreSQL, where the batch then silences the
    /// dual-write trigger as well, it computes the new column itself as the trigger would (a row
    /// whose old column new code's write already derived, `old = down(new)`, keeps its new value).
    var noOpBackfill: Backfill {
        let oldColumn = quoteIdentifier(old), newColumn = quoteIdentifier(new)
        let upValue = "(" + (up.map { SchemaExpression($0).sql } ?? oldColumn) + "\n)"
        let downValue = "(" + (down.map { SchemaExpression($0).sql } ?? newColumn) + "\n)"
        let direct =
            "CASE WHEN \(newColumn) IS NOT DISTINCT FROM \(upValue) OR \(oldColumn) IS NOT DISTINCT FROM \(downValue) "
            + "THEN \(newColumn) ELSE \(upValue) END"
        return Backfill(
            table: table, set: [Backfill.Assignment(old, oldColumn)],
            quietAssignments: [Backfill.Assignment(new, direct)])
    }

    /// The check that replaces the old column's NOT NULL between the steps.
    var relaxedCheck: CheckConstraint {
        CheckConstraint(
            SchemaExpression("\(quoteIdentifier(old)) IS NOT NULL OR \(quoteIdentifier(new)) IS NOT NULL"),
            name: sync.names.relaxedCheck)
    }

    /// The old column's default for the new column: as it is for a rename; for a type change,
    /// a literal that the new type accepts, or nothing.
    private func carried(_ value: ColumnDefault, to type: ColumnType) -> ColumnDefault? {
        guard kind == .changeType else { return value }
        guard case .literal(let literal) = value else { return nil }
        return .literal(type.coerce(literal))
    }

    private func renamed(_ columns: [String]) -> [String] {
        columns.map { $0 == old ? new : $0 }
    }

    private func renamed(_ expression: SchemaExpression) -> SchemaExpression {
        SchemaExpression(
            expression.sql.replacingOccurrences(
                of: identifierPattern, with: quoteIdentifier(new), options: .regularExpression))
    }

    private func mentions(_ sql: String) -> Bool {
        sql.range(of: identifierPattern, options: .regularExpression) != nil
    }

    /// The old column's name in SQL text, quoted or bare, as a whole word.
    private var identifierPattern: String {
        let escaped = NSRegularExpression.escapedPattern(for: old)
        let quoted = NSRegularExpression.escapedPattern(for: quoteIdentifier(old))
        return "(\(quoted)|(?<![A-Za-z0-9_\"])\(escaped)(?![A-Za-z0-9_\"]))"
    }
}

extension Operation {
    /// This operation with `migration` recorded as the origin of the column sync it installs,
    /// so the triggers' errors name the migration; other operations as they are.
    func installed(by migration: MigrationID) -> Operation {
        guard case .installColumnSync(var sync) = self else { return self }
        sync.origin = migration.description
        return .installColumnSync(sync)
    }
}
