import TandemDatabase
import TandemSchema

/// PostgreSQL's column sync: one PL/pgSQL function run by a BEFORE INSERT OR UPDATE row
/// trigger, which sets the other column on `NEW` before the row is written, so constraints
/// (NOT NULL on the old column among them) see both columns filled.
struct PostgresSyncCode {
    let sync: ColumnSync

    private var conditions: SyncConditions { SyncConditions(sync: sync, dialect: .postgres) }
    private var names: ColumnSyncNames { sync.names }

    /// Refuses to replace another pair's or the application's objects, creates or replaces the
    /// function, then the trigger, and exercises both (see ``probe``): safe to run again.
    var installation: [String] {
        [ownershipGuard] + objects + probe
    }

    private var objects: [String] {
        [
            "CREATE OR REPLACE FUNCTION \(quoteIdentifier(names.function))() RETURNS trigger LANGUAGE plpgsql AS "
                + SQLLiteral.quote(functionBody),
            "DROP TRIGGER IF EXISTS \(quoteIdentifier(names.trigger)) ON \(quoteIdentifier(sync.table))",
            "CREATE TRIGGER \(quoteIdentifier(names.trigger)) BEFORE INSERT OR UPDATE OF \(quoteIdentifier(sync.old)), "
                + "\(quoteIdentifier(sync.new)) ON \(quoteIdentifier(sync.table)) FOR EACH ROW EXECUTE FUNCTION "
                + "\(quoteIdentifier(names.function))()",
        ]
    }

    /// Drops the trigger, then the function; safe to run when they are gone.
    var removal: [String] {
        [
            "DROP TRIGGER IF EXISTS \(quoteIdentifier(names.trigger)) ON \(quoteIdentifier(sync.table))",
            "DROP FUNCTION IF EXISTS \(quoteIdentifier(names.function))()",
        ]
    }

    /// The function's source, as `pg_proc.prosrc` gives it back.
    ///
    /// `#variable_conflict use_column` lets an expression name a column `new`, `old` or
    /// `found`: the column wins over PL/pgSQL's variable of that name.
    var functionBody: String {
        let old = conditions.row(sync.old), new = conditions.row(sync.new)
        return """

            \(SyncMarker.line(for: sync))
            #variable_conflict use_column
            DECLARE
              tandem_old_written boolean;
              tandem_new_written boolean;
            BEGIN
              IF TG_OP = 'INSERT' THEN
                tandem_old_written := \(conditions.insertWrote(sync.old, default: sync.oldDefault));
                tandem_new_written := \(conditions.insertWrote(sync.new, default: sync.newDefault));
              ELSE
                tandem_old_written := \(conditions.updateChanged(sync.old));
                tandem_new_written := \(conditions.updateChanged(sync.new));
              END IF;
              \(copying(old: old, new: new))
              RETURN NEW;
            END

            """
    }

    /// The statements that copy one column to the other. When `up` or `down` casts to a type not
    /// every value converts to, they run in a block that turns the cast's data exception into an
    /// error naming the column change and its migration (see ``SyncConversionFailure``), with
    /// the same SQLSTATE and without the value; such a block costs a subtransaction per write.
    private func copying(old: String, new: String) -> String {
        let statements = """
            IF (tandem_old_written AND tandem_new_written) OR \(conditions.inSync) THEN
                RETURN NEW;
              END IF;
              IF tandem_new_written THEN
                \(old) := \(conditions.downValue);
              ELSE
                \(new) := \(conditions.upValue);
              END IF;
            """
        guard SyncConversionFailure.mayFail(sync.up) || SyncConversionFailure.mayFail(sync.down) else {
            return statements
        }
        let failure = SyncConversionFailure(sync: sync)
        return """
            BEGIN
                \(statements)
              EXCEPTION WHEN data_exception THEN
                RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = CASE WHEN tandem_new_written THEN \(SQLLiteral.quote(failure.message(writtenTo: sync.new))) ELSE \(SQLLiteral.quote(failure.message(writtenTo: sync.old))) END;
              END;
            """
    }
}
