import Logging
import TandemDatabase
import TandemTriggers

/// How a backfill with ``Backfill/quietAssignments`` keeps the application's triggers on its
/// table from firing, decided once per run.
enum BackfillQuietMode: Equatable {
    /// Triggers fire: the backfill is not quiet, or (PostgreSQL) the role may not switch them off.
    case off
    /// PostgreSQL: each batch sets `session_replication_role = replica` for its transaction and
    /// writes the quiet assignments; only triggers marked `ENABLE ALWAYS` fire.
    case replica
    /// SQLite: each batch drops the application's triggers on the table, runs the update and
    /// creates them again from their saved SQL, all in its transaction (SQLite has one writer,
    /// so no other write ever runs without them).
    case suspendTriggers

    /// The mode for `backfill` on `connection`; logs a warning when PostgreSQL's role may not
    /// set `session_replication_role`, and the triggers will fire.
    static func choose(for backfill: Backfill, job: BackfillJob, on connection: Connection, logger: Logger) throws
        -> Self
    {
        guard backfill.quietAssignments != nil else { return .off }
        guard connection.dialect == .postgres else { return .suspendTriggers }
        if try mayReplicate(on: connection) { return .replica }
        logger.warning(
            "backfill \(job): the database role may not set session_replication_role, so the application's own UPDATE triggers on \(backfill.table) fire for every row the backfill visits; to avoid it, run migrate as a role granted it (GRANT SET ON PARAMETER session_replication_role TO <role>)"
        )
        return .off
    }

    /// Whether the connection's role may set `session_replication_role`: a superuser, or
    /// (PostgreSQL 15 and later) a role granted `SET` on the parameter.
    private static func mayReplicate(on connection: Connection) throws -> Bool {
        let row = try connection.query(
            "SELECT current_setting('is_superuser') = 'on' AS superuser, "
                + "current_setting('server_version_num')::integer AS version")[0]
        if try row.decode(Bool.self, "superuser") { return true }
        guard try row.decode(Int.self, "version") >= 150_000 else { return false }
        return try connection.query("SELECT has_parameter_privilege('session_replication_role', 'SET') AS allowed")[0]
            .decode(Bool.self, "allowed")
    }

    /// Runs `update` inside the current batch transaction with the application's triggers off as
    /// this mode says; `update` gets whether to write the quiet assignments.
    func around(table: String, on connection: Connection, _ update: (_ quiet: Bool) throws -> Int) throws -> Int {
        switch self {
        case .off:
            return try update(false)
        case .replica:
            _ = try connection.query("SELECT set_config('session_replication_role', 'replica', true)")
            return try update(true)
        case .suspendTriggers:
            let triggers = try Self.applicationTriggers(on: table, connection: connection)
            for trigger in triggers {
                _ = try connection.execute("DROP TRIGGER \(quoteIdentifier(trigger.name))")
            }
            let rows = try update(false)
            for trigger in triggers { _ = try connection.execute(trigger.sql) }
            return rows
        }
    }

    /// SQLite: the triggers on `table` that Tandem did not install, with the SQL that made them.
    private static func applicationTriggers(on table: String, connection: Connection) throws
        -> [(name: String, sql: String)]
    {
        try connection.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower($1) "
                + "AND sql IS NOT NULL ORDER BY name",
            [.text(table)]
        ).compactMap { row in
            let name = try row.decode(String.self, "name")
            guard !name.hasPrefix(ColumnSyncNames.prefix) else { return nil }
            return (name, try row.decode(String.self, "sql"))
        }
    }
}
