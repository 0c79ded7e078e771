import TandemDatabase

/// The SQL of one backfill's batches, for one dialect and key. Key values are always bound.
///
/// A batch first finds its last key, the `batch`-th matching row after the cursor, then updates
/// the rows between the cursor and that key:
///
/// ```sql
/// SELECT "id" FROM "t" WHERE "id" > $1 AND (done IS NULL) ORDER BY "id" LIMIT 1 OFFSET 999;
/// UPDATE "t" SET "n" = n + 1 WHERE "id" > $1 AND "id" <= $2 AND (done IS NULL);
/// ```
///
/// When no such row exists the rest of the table is one last batch, without an upper bound.
/// A composite key compares as a row value, `("a", "b") > ($1, $2)`, which both databases order
/// like `ORDER BY "a", "b"`.
struct BackfillStatements: Sendable {
    let dialect: Dialect
    let backfill: Backfill
    let key: BackfillKey

    private var table: String { dialect.quote(backfill.table) }
    private var keyList: String { key.columns.map(dialect.quote).joined(separator: ", ") }

    /// `SELECT count(*)` of the rows the backfill will update, for progress.
    var count: String {
        "SELECT count(*) FROM \(table)" + whereClause([])
    }

    /// The statement that finds a batch's last key; binds the cursor when `afterCursor`.
    func boundary(afterCursor: Bool, batch: Int) -> String {
        "SELECT \(keyList) FROM \(table)" + whereClause(afterCursor ? [compare(">", from: 1)] : [])
            + " ORDER BY \(keyList) LIMIT 1 OFFSET \(batch - 1)"
    }

    /// The batch's `UPDATE`: binds the cursor (when `afterCursor`), then the last key (when
    /// `bounded`). `quiet` writes ``Backfill/quietAssignments`` (PostgreSQL, triggers off).
    func update(afterCursor: Bool, bounded: Bool, quiet: Bool = false) -> String {
        var bounds: [String] = []
        if afterCursor { bounds.append(compare(">", from: 1)) }
        if bounded { bounds.append(compare("<=", from: afterCursor ? key.columns.count + 1 : 1)) }
        let assignments = quiet ? backfill.quietAssignments ?? backfill.assignments : backfill.assignments
        let set = assignments.map { "\(dialect.quote($0.column)) = \($0.expression)" }
        return "UPDATE \(table) SET \(set.joined(separator: ", "))" + whereClause(bounds)
    }

    /// PostgreSQL: the batch's lock and statement timeouts, local to its transaction.
    func timeouts(_ settings: BackfillSettings) -> (sql: String, values: [DatabaseValue]) {
        (
            "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
            [.text("\(settings.lockTimeout.milliseconds)ms"), .text("\(settings.statementTimeout.milliseconds)ms")]
        )
    }

    /// ` WHERE` the bounds and then the file's condition in parentheses; empty when there are none.
    private func whereClause(_ bounds: [String]) -> String {
        let all = bounds + (backfill.predicate.map { ["(\($0))"] } ?? [])
        return all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND ")
    }

    /// The key compared with bound values starting at placeholder `first`.
    private func compare(_ comparison: String, from first: Int) -> String {
        let values = key.columns.indices.map { dialect.placeholder(first + $0) }
        guard key.columns.count > 1 else { return "\(keyList) \(comparison) \(values[0])" }
        return "(\(keyList)) \(comparison) (\(values.joined(separator: ", ")))"
    }
}
