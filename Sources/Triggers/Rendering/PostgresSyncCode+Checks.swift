import Foundation
import TandemDatabase
import TandemSchema

extension PostgresSyncCode {
    /// A `DO` block that fails when the function, or a trigger of the table, already has one of
    /// the pair's names but was not installed for this pair: `CREATE OR REPLACE` and
    /// `DROP TRIGGER` would otherwise replace an object Tandem does not own.
    ///
    /// An object is the pair's when its function's source carries the pair's record
    /// (``SyncMarker``); a reinstallation of the same pair, with other expressions, passes.
    var ownershipGuard: String {
        let names = sync.names
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a dictionary of strings cannot fail.
        let identity = try! encoder.encode(["table": sync.table, "old": sync.old, "new": sync.new])
        let pair = SQLLiteral.quote(String(decoding: identity, as: UTF8.self))
        let recorded =
            "coalesce((SELECT m[1]::jsonb FROM regexp_match(p.prosrc, \(SQLLiteral.quote(SyncMarker.prefix + "([^\\n]*)"))) AS m) @> \(pair)::jsonb, false)"
        let refusal = "Tandem does not replace it: drop or rename it, or choose other column names"
        let body = """
            BEGIN
              IF EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname = \(SQLLiteral.quote(names.function)) AND NOT \(recorded)) THEN
                RAISE EXCEPTION USING ERRCODE = 'duplicate_function', MESSAGE = \(SQLLiteral.quote(
                    "function \(quoteIdentifier(names.function)) exists but was not installed for \(sync.describe()); \(refusal)"));
              END IF;
              IF EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE n.nspname = current_schema() AND c.relname = \(SQLLiteral.quote(sync.table))
                  AND t.tgname = \(SQLLiteral.quote(names.trigger)) AND NOT t.tgisinternal
                  AND (p.proname <> \(SQLLiteral.quote(names.function)) OR NOT \(recorded))) THEN
                RAISE EXCEPTION USING ERRCODE = 'duplicate_object', MESSAGE = \(SQLLiteral.quote(
                    "trigger \(quoteIdentifier(names.trigger)) on \(quoteIdentifier(sync.table)) exists but was not installed for \(sync.describe()); \(refusal)"));
              END IF;
            END
            """
        return "DO " + SQLLiteral.quote(body)
    }

    /// Statements that run the installed function once, inside the installing transaction, so
    /// that a mistake PL/pgSQL finds only when the function first runs (a misspelt column in
    /// `up` or `down`, a result that does not convert to the other column's type) fails the
    /// installation instead of the application's next write, even on an empty table.
    ///
    /// They work on a temporary copy of the pair's two columns (`CREATE TEMP TABLE … AS … WITH
    /// NO DATA`: same types, no constraints, defaults, keys or triggers of the application), so
    /// they hold for any table and touch none of its rows: two `INSERT … SELECT … WHERE false`
    /// that PostgreSQL only plans, which checks that `up` and `down` name only their source
    /// column and that their results are assignable to the other column; then an INSERT and an
    /// UPDATE of a row of NULLs through the same function. The copy goes at commit (`ON COMMIT
    /// DROP`); installing the pair again in the same transaction reuses it.
    var probe: [String] {
        let probe = "pg_temp." + quoteIdentifier(ConstraintName.fitted(sync.names.function, suffix: "_probe"))
        let old = quoteIdentifier(sync.old), new = quoteIdentifier(sync.new)
        let conditions = SyncConditions(sync: sync, dialect: .postgres)
        return [
            "CREATE TEMP TABLE IF NOT EXISTS \(probe) ON COMMIT DROP AS SELECT \(old), \(new) FROM \(quoteIdentifier(sync.table)) WITH NO DATA",
            "INSERT INTO \(probe) (\(new)) SELECT \(conditions.upValue(of: "probe")) FROM \(probe) AS probe WHERE false",
            "INSERT INTO \(probe) (\(old)) SELECT \(conditions.downValue(of: "probe")) FROM \(probe) AS probe WHERE false",
            "DROP TRIGGER IF EXISTS \(quoteIdentifier(sync.names.trigger)) ON \(probe)",
            "CREATE TRIGGER \(quoteIdentifier(sync.names.trigger)) BEFORE INSERT OR UPDATE OF \(old), \(new) ON \(probe) "
                + "FOR EACH ROW EXECUTE FUNCTION \(quoteIdentifier(sync.names.function))()",
            "INSERT INTO \(probe) DEFAULT VALUES",
            "UPDATE \(probe) SET \(old) = \(old)",
        ]
    }
}
