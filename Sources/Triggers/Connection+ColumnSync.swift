import TandemDatabase
import TandemSchema

extension Connection {
    /// Installs the triggers (and on PostgreSQL the function) that keep `sync`'s two columns
    /// equal, in one transaction, and returns the sync as installed, with the columns'
    /// defaults read from the table (see ``ColumnSync/resolved(in:)``).
    ///
    /// Installing a pair again replaces its triggers, so the call is idempotent and also
    /// updates the expressions or defaults of an installed pair.
    ///
    /// - Throws: ``ColumnSyncError`` when the table or a column is missing; when one of the
    ///   columns is already kept in sync with another column, or another pair's objects have
    ///   the same names; on SQLite, when a column of the pair is NOT NULL without a default
    ///   (call ``relaxNotNull(for:)`` first) or the table has no usable rowid.
    @discardableResult
    public func installColumnSync(_ sync: ColumnSync) throws -> ColumnSync {
        try transaction {
            let table = try syncedTable(sync)
            let resolved = try sync.resolved(in: table)
            if dialect == .sqlite { try checkSQLiteCanSync(resolved, table: table) }
            try checkNoOverlap(resolved)
            for statement in resolved.statements(for: dialect) {
                try execute(statement)
            }
            return resolved
        }
    }

    /// Drops `sync`'s triggers and function, in one transaction. The table, both columns and
    /// their rows stay as they are; from then on writes to one column no longer reach the
    /// other. Removing a pair that is not installed does nothing.
    public func removeColumnSync(_ sync: ColumnSync) throws {
        try transaction {
            for statement in sync.removalStatements(for: dialect) {
                try execute(statement)
            }
        }
    }

    /// The live table `sync` names.
    func syncedTable(_ sync: ColumnSync) throws -> Table {
        guard let table = try introspectTable(sync.table) else {
            throw ColumnSyncError("\(sync.describe()): table \"\(sync.table)\" does not exist")
        }
        return table
    }

    /// SQLite's triggers run after the row is written: a NOT NULL column the statement left
    /// empty fails before they can fill it, and they find the row again by rowid.
    private func checkSQLiteCanSync(_ sync: ColumnSync, table: Table) throws {
        if let column = sync.columnsNeedingRelaxation(in: table).first {
            throw ColumnSyncError(
                "\(sync.describe()): column \"\(column)\" is NOT NULL without a default, so on SQLite a write of the other "
                    + "column alone fails before the triggers run; call relaxNotNull(for:) first")
        }
        let rowidNames: Set<String> = ["rowid", "_rowid_", "oid"]
        if let column = table.columns.first(where: { rowidNames.contains($0.name.lowercased()) }) {
            throw ColumnSyncError(
                "\(sync.describe()): column \"\(column.name)\" hides the rowid the SQLite triggers use")
        }
        do {
            try execute("SELECT rowid FROM \(quoteIdentifier(sync.table)) LIMIT 0")
        } catch {
            throw ColumnSyncError(
                "\(sync.describe()): table \"\(sync.table)\" is a WITHOUT ROWID table, which the SQLite triggers cannot serve"
            )
        }
    }

    /// A column kept in sync with two others would be written by two sets of triggers.
    private func checkNoOverlap(_ sync: ColumnSync) throws {
        let ours = Set(sync.names.triggers(for: dialect) + (dialect == .postgres ? [sync.names.function] : []))
        for installed in try installedColumnSyncs() {
            if let other = installed.sync, other.isSamePair(as: sync) { continue }
            if let other = installed.sync, other.table == sync.table,
                !Set([other.old, other.new]).isDisjoint(with: [sync.old, sync.new])
            {
                throw ColumnSyncError(
                    "\(sync.describe()): a column of the pair is already kept in sync by \(other.describe())")
            }
            if let clash = installed.objects.first(where: ours.contains) {
                throw ColumnSyncError(
                    "\(sync.describe()): \"\(clash)\" already exists for \(installed.sync?.describe() ?? "something else")"
                )
            }
        }
    }
}
