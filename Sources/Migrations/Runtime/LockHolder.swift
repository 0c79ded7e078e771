import TandemDatabase

/// A session that held a lock on a table a step waited for, as PostgreSQL's `pg_stat_activity`
/// shows it, so that an operator knows whom to ask or what to end. Only the start of its query's
/// text is kept: bound values are never part of it.
public struct LockHolder: Sendable, Hashable, CustomStringConvertible {
    /// The server process of the session (`pg_terminate_backend` takes it).
    public let pid: Int
    /// The session's `application_name`, empty when it set none.
    public let applicationName: String
    /// When its current (or last) query started, ISO 8601 in UTC.
    public let queryStart: String
    /// The first ``queryPrefixLength`` characters of that query.
    public let query: String

    /// How much of a holder's query is kept.
    public static let queryPrefixLength = 60

    /// Creates a record.
    public init(pid: Int, applicationName: String, queryStart: String, query: String) {
        self.pid = pid
        self.applicationName = applicationName
        self.queryStart = queryStart
        self.query = query
    }

    /// `pid 4242 (application "worker"), query started 2026-01-02T03:04:05Z: "SELECT …"`.
    public var description: String {
        "pid \(pid) (" + (applicationName.isEmpty ? "no application name" : "application \"\(applicationName)\"")
            + "), query started \(queryStart.isEmpty ? "unknown" : queryStart): \"\(query)\""
    }

    /// The other sessions holding a lock on any of `tables` in the connection's schema, by pid;
    /// empty on SQLite, which does not say who holds its write lock.
    static func holders(of tables: [String], on connection: Connection) throws -> [LockHolder] {
        guard connection.dialect == .postgres, !tables.isEmpty else { return [] }
        let names =
            "[" + tables.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",")
            + "]"
        let rows = try connection.query(
            """
            SELECT DISTINCT a.pid, coalesce(a.application_name, '') AS application_name,
                coalesce(to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS query_start,
                left(coalesce(a.query, ''), \(queryPrefixLength)) AS query
            FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.granted AND l.locktype = 'relation' AND a.pid <> pg_backend_pid()
                AND l.relation IN (
                    SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relname IN (SELECT json_array_elements_text($1::json)))
            ORDER BY a.pid
            """, [.text(names)])
        return try rows.map(LockHolder.init(row:))
    }

    /// A holder from a row of `pid`, `application_name`, `query_start` and `query`.
    init(row: Row) throws {
        self.init(
            pid: try row.decode(Int.self, "pid"), applicationName: try row.decode(String.self, "application_name"),
            queryStart: try row.decode(String.self, "query_start"), query: try row.decode(String.self, "query"))
    }
}

extension DatabaseError {
    /// Whether an attempt gave way to another session's lock: a lock timeout (SQLite: busy), or
    /// a deadlock PostgreSQL resolved by cancelling it (40P01). Either leaves nothing of the
    /// attempt, and the next one may go through.
    var isLockContention: Bool { isLockTimeout || isDeadlock }

    /// Whether PostgreSQL cancelled the statement to break a deadlock.
    var isDeadlock: Bool { dialect == .postgres && code == "40P01" }
}
