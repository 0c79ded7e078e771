import TandemDatabase

extension DDL {
    /// PostgreSQL's `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`.
    ///
    /// With `validated: false` it is added `NOT VALID`: new rows are checked at once, without the
    /// long lock of scanning existing ones, which ``validateConstraint(_:on:)`` checks later
    /// under a lock that lets reads and writes go on.
    public func addForeignKey(_ key: ForeignKey, to table: String, validated: Bool = true) -> String {
        addConstraint(foreignKeyClause(named(key, table: table)), to: table, validated: validated)
    }

    /// PostgreSQL's `ALTER TABLE … ADD CONSTRAINT … CHECK`, `NOT VALID` when not `validated`
    /// (see ``addForeignKey(_:to:validated:)``).
    public func addCheck(_ check: CheckConstraint, to table: String, validated: Bool = true) -> String {
        addConstraint(checkClause(named(check, table: table)), to: table, validated: validated)
    }

    /// PostgreSQL's `ALTER TABLE … ADD CONSTRAINT … UNIQUE`; with `usingIndex`, the constraint
    /// adopts a unique index built beforehand, for instance with
    /// `createIndex(_:on:concurrently: true)`, so that adding it takes no long lock.
    public func addUnique(_ unique: UniqueConstraint, to table: String, usingIndex index: String? = nil) -> String {
        let unique = named(unique, table: table)
        guard let index else { return addConstraint(uniqueClause(unique), to: table, validated: true) }
        return addConstraint("CONSTRAINT \(dialect.quote(unique.name!)) UNIQUE USING INDEX \(dialect.quote(index))", to: table, validated: true)
    }

    /// PostgreSQL's `ALTER TABLE … VALIDATE CONSTRAINT …`, which checks existing rows against a
    /// constraint added `NOT VALID` while reads and writes go on.
    public func validateConstraint(_ name: String, on table: String) -> String {
        precondition(dialect == .postgres, "SQLite cannot alter constraints in place; rebuild the table")
        return "ALTER TABLE \(dialect.quote(table)) VALIDATE CONSTRAINT \(dialect.quote(name))"
    }

    /// PostgreSQL's `ALTER TABLE … DROP CONSTRAINT …`.
    public func dropConstraint(_ name: String, from table: String, ifExists: Bool = false) -> String {
        precondition(dialect == .postgres, "SQLite cannot alter constraints in place; rebuild the table")
        return "ALTER TABLE \(dialect.quote(table)) DROP CONSTRAINT " + (ifExists ? "IF EXISTS " : "") + dialect.quote(name)
    }

    /// `CONSTRAINT "name" UNIQUE ("a", "b")`, for a named constraint.
    func uniqueClause(_ unique: UniqueConstraint) -> String {
        "CONSTRAINT \(dialect.quote(unique.name!)) UNIQUE " + columnList(unique.columns)
    }

    /// `CONSTRAINT "name" CHECK (condition)`, for a named constraint.
    func checkClause(_ check: CheckConstraint) -> String {
        "CONSTRAINT \(dialect.quote(check.name!)) CHECK (\(check.expression.sql))"
    }

    /// `CONSTRAINT "name" FOREIGN KEY (…) REFERENCES "t" (…) [ON DELETE …] [ON UPDATE …]`.
    func foreignKeyClause(_ key: ForeignKey) -> String {
        var clause = "CONSTRAINT \(dialect.quote(key.name!)) FOREIGN KEY " + columnList(key.columns)
        clause += " REFERENCES \(dialect.quote(key.referencedTable)) " + columnList(key.referencedColumns)
        if key.onDelete != .noAction { clause += " ON DELETE " + key.onDelete.rawValue }
        if key.onUpdate != .noAction { clause += " ON UPDATE " + key.onUpdate.rawValue }
        return clause
    }

    private func addConstraint(_ clause: String, to table: String, validated: Bool) -> String {
        precondition(dialect == .postgres, "SQLite cannot add constraints in place; rebuild the table")
        return "ALTER TABLE \(dialect.quote(table)) ADD " + clause + (validated ? "" : " NOT VALID")
    }

    private func named(_ key: ForeignKey, table: String) -> ForeignKey {
        Table(table, columns: [], foreignKeys: [key]).normalized.foreignKeys[0]
    }

    private func named(_ check: CheckConstraint, table: String) -> CheckConstraint {
        Table(table, columns: [], checks: [check]).normalized.checkConstraints[0]
    }

    private func named(_ unique: UniqueConstraint, table: String) -> UniqueConstraint {
        Table(table, columns: [], unique: [unique]).normalized.uniqueConstraints[0]
    }
}
