import TandemDatabase
import TandemSchema

/// SQLite's column sync: an AFTER INSERT and an AFTER UPDATE OF trigger that each update the
/// row they fired for, setting the column the statement did not write.
///
/// SQLite triggers cannot change `NEW`, so they write the row again. That write fires the
/// update trigger (a trigger never fires itself while `PRAGMA recursive_triggers` is off, the
/// default, but it does fire the other one); both triggers do nothing when the columns already
/// correspond, which ends the chain after one step even with recursive triggers on.
struct SQLiteSyncCode {
    let sync: ColumnSync

    private var conditions: SyncConditions { SyncConditions(sync: sync, dialect: .sqlite) }
    private var names: ColumnSyncNames { sync.names }

    /// Drops and creates both triggers, then compiles them (see ``probe``): safe to run again.
    var installation: [String] {
        removal + [insertTrigger, updateTrigger] + probe
    }

    /// An INSERT and an UPDATE of the table that touch no row (`WHERE 0`) but make SQLite
    /// compile both triggers, which it does only when a statement that fires them is prepared:
    /// a misspelt column in `up` or `down` fails the installation instead of the application's
    /// next write, even on an empty table.
    var probe: [String] {
        let table = quoteIdentifier(sync.table), old = quoteIdentifier(sync.old)
        return [
            "INSERT INTO \(table) (\(old)) SELECT NULL WHERE 0",
            "UPDATE \(table) SET \(old) = \(old) WHERE 0",
        ]
    }

    /// Drops both triggers; safe to run when they are gone.
    var removal: [String] {
        [names.insertTrigger, names.updateTrigger].map { "DROP TRIGGER IF EXISTS \(quoteIdentifier($0))" }
    }

    /// The AFTER INSERT trigger, as `sqlite_master.sql` gives it back.
    var insertTrigger: String {
        trigger(
            name: names.insertTrigger, event: "INSERT",
            oldWritten: conditions.insertWrote(sync.old, default: sync.oldDefault),
            newWritten: conditions.insertWrote(sync.new, default: sync.newDefault))
    }

    /// The AFTER UPDATE trigger, as `sqlite_master.sql` gives it back. It fires only for
    /// statements that set one of the two columns, as the PostgreSQL trigger does.
    var updateTrigger: String {
        trigger(
            name: names.updateTrigger, event: "UPDATE OF \(quoteIdentifier(sync.old)), \(quoteIdentifier(sync.new))",
            oldWritten: conditions.updateChanged(sync.old), newWritten: conditions.updateChanged(sync.new))
    }

    /// The conversion checks (``SQLiteConversionCheck``), each on its own line, or nothing.
    private func checks(oldWritten: String, newWritten: String) -> String {
        SQLiteConversionCheck(sync: sync).statements(oldWritten: oldWritten, newWritten: newWritten)
            .map { $0 + "\n" }.joined()
    }

    /// A trigger that copies new to old when only new was written, and old to new otherwise,
    /// unless both were written or the columns already correspond.
    ///
    /// The conditions read only `NEW` and `OLD`, so SQLite tests them once before looking the
    /// row up; the second statement still sees the `NEW` of the original write.
    private func trigger(name: String, event: String, oldWritten: String, newWritten: String) -> String {
        let table = quoteIdentifier(sync.table)
        return """
            CREATE TRIGGER \(quoteIdentifier(name)) AFTER \(event) ON \(table)
            WHEN NOT ((\(oldWritten)) AND (\(newWritten))) AND NOT \(conditions.inSync)
            BEGIN
            \(SyncMarker.line(for: sync))
            \(checks(oldWritten: oldWritten, newWritten: newWritten))UPDATE \(table) SET \(quoteIdentifier(sync.new)) = \(conditions.upValue)
              WHERE NOT (\(newWritten)) AND rowid = NEW.rowid;
            UPDATE \(table) SET \(quoteIdentifier(sync.old)) = \(conditions.downValue)
              WHERE (\(newWritten)) AND NOT (\(oldWritten)) AND rowid = NEW.rowid;
            END
            """
    }
}
