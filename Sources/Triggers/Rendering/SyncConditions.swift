import TandemDatabase
import TandemSchema

/// The SQL pieces both dialects' triggers are made of: the values `up` and `down` give for the
/// row, and the conditions that say which column a statement wrote.
///
/// Every piece reads the row through `NEW.` and `OLD.`, which PL/pgSQL functions and SQLite
/// triggers both offer.
struct SyncConditions {
    let sync: ColumnSync
    let dialect: Dialect

    /// The new column's value computed from the row's old column.
    var upValue: String { upValue(of: "NEW") }
    /// The old column's value computed from the row's new column.
    var downValue: String { downValue(of: "NEW") }

    /// The new column's value computed from the old column of `record` (`NEW`, or a table alias).
    func upValue(of record: String) -> String { mapped(sync.up, from: sync.old, in: record) }
    /// The old column's value computed from the new column of `record`.
    func downValue(of record: String) -> String { mapped(sync.down, from: sync.new, in: record) }

    /// Whether the row's columns already correspond: new = up(old), or old = down(new).
    var inSync: String {
        "(" + same(row(sync.new), upValue) + " OR " + same(row(sync.old), downValue) + ")"
    }

    /// Whether an INSERT wrote `column`: it holds something other than its default.
    func insertWrote(_ column: String, default value: ColumnDefault?) -> String {
        switch value {
        case nil: row(column) + " IS NOT NULL"
        case .literal(let literal): distinct(row(column), SQLLiteral.render(literal, dialect: dialect))
        case .expression(let expression): distinct(row(column), "(" + expression.sql + ")")
        }
    }

    /// Whether an UPDATE changed `column`.
    func updateChanged(_ column: String) -> String {
        distinct(row(column), row(column, in: "OLD"))
    }

    /// `NEW."column"`.
    func row(_ column: String, in record: String = "NEW") -> String {
        record + "." + dialect.quote(column)
    }

    /// The value `expression` gives for the row's `source` column; the column itself without one.
    ///
    /// A one-row subquery names the value as the column, so the expression is written against
    /// the column's plain name and needs no rewriting for `NEW.`. The line break after the
    /// expression ends a trailing `--` comment in it.
    private func mapped(_ expression: SchemaExpression?, from source: String, in record: String) -> String {
        guard let expression else { return row(source, in: record) }
        return "(SELECT " + expression.sql + "\n FROM (SELECT " + row(source, in: record) + " AS "
            + dialect.quote(source) + ") AS "
            + dialect.quote("tandem_source") + ")"
    }

    private func distinct(_ lhs: String, _ rhs: String) -> String {
        dialect == .postgres ? "\(lhs) IS DISTINCT FROM \(rhs)" : "\(lhs) IS NOT \(rhs)"
    }

    private func same(_ lhs: String, _ rhs: String) -> String {
        dialect == .postgres ? "\(lhs) IS NOT DISTINCT FROM \(rhs)" : "\(lhs) IS \(rhs)"
    }
}
