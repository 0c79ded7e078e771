import TandemDatabase

extension Connection {
    /// Rebuilds a SQLite table into `new`, keeping its rows, indexes (those of `new`) and
    /// triggers, following SQLite's twelve steps; see ``DDL/rebuildTable(from:to:columnSources:triggers:)``.
    ///
    /// Foreign key enforcement is turned off for the rebuild, so that dropping the old table
    /// deletes nothing through `ON DELETE CASCADE`, and on again afterwards; before committing,
    /// `PRAGMA foreign_key_check` must find no row that breaks a foreign key, or nothing changes.
    ///
    /// - Throws: ``SchemaError`` when called inside a transaction (SQLite ignores the foreign
    ///   keys pragma there) or when rows break a foreign key; ``TandemDatabase/DatabaseError``
    ///   when a statement fails, for instance rows that break a new constraint.
    public func rebuildTable(from old: Table, to new: Table, columnSources: [String: String] = [:]) throws {
        precondition(dialect == .sqlite, "PostgreSQL alters tables in place")
        guard !isInTransaction else {
            throw SchemaError("cannot rebuild table \"\(old.name)\" inside a transaction: SQLite cannot turn foreign keys off there")
        }
        let enforcesForeignKeys = try query("PRAGMA foreign_keys").first?.decode(Int.self, at: 0) == 1
        if enforcesForeignKeys { try executeScript("PRAGMA foreign_keys = OFF") }
        defer {
            // Pragmas outlive a rollback: a failed rebuild must not leave the legacy rule on.
            try? executeScript("PRAGMA legacy_alter_table = OFF")
            if enforcesForeignKeys { try? executeScript("PRAGMA foreign_keys = ON") }
        }
        try transaction {
            let triggers = try query(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name", [.text(old.name)]
            ).map { try $0.decode(String.self, "sql") }
            for statement in DDL(.sqlite).rebuildTable(from: old, to: new, columnSources: columnSources, triggers: triggers) {
                try execute(statement)
            }
            guard enforcesForeignKeys else { return }
            let broken = try query("PRAGMA foreign_key_check")
            if let first = broken.first {
                let table = try first.decode(String.self, at: 0), parent = try first.decode(String.self, at: 2)
                throw SchemaError(
                    "cannot rebuild table \"\(old.name)\": \(broken.count) row(s) of \"\(table)\" would break a foreign key to \"\(parent)\"")
            }
        }
    }
}
