import Foundation
import TandemDatabase

/// Reads and writes `tandem_components` (DESIGN.md's contract): one row per running process,
/// with the component versions it runs and its last heartbeat.
///
/// Every timestamp is written and compared with the database's clock (`CURRENT_TIMESTAMP`),
/// so the clocks of the machines that run the processes and the migration never need to agree.
///
/// Processes normally use ``Heartbeat``; migrations and `tandem status` read with
/// ``components(on:)``.
public enum ComponentRegistry {
    /// The table's name.
    public static let tableName = "tandem_components"

    /// Creates the table when it does not exist yet.
    public static func createTable(on connection: Connection) throws {
        let json = connection.dialect == .postgres ? "JSONB" : "TEXT"
        let time = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try createIfMissing(
            """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(tableName)) (
                id TEXT NOT NULL PRIMARY KEY,
                kind TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                versions \(json) NOT NULL,
                started_at \(time) NOT NULL,
                last_heartbeat \(time) NOT NULL
            )
            """, on: connection)
    }

    /// Adds (or replaces) a process's row, with both timestamps set to the database's now.
    public static func register(_ registration: ComponentRegistration, on connection: Connection) throws {
        let now = currentTimestamp(connection.dialect)
        let p = connection.dialect.placeholder
        try connection.execute(
            """
            INSERT INTO \(quoteIdentifier(tableName)) (id, kind, host, pid, versions, started_at, last_heartbeat)
            VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(now), \(now))
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, host = excluded.host, pid = excluded.pid,
                versions = excluded.versions, last_heartbeat = excluded.last_heartbeat
            """,
            [
                .text(registration.id), .text(registration.kind), .text(registration.host),
                .integer(Int64(registration.pid)), .json(registration.versionsJSON),
            ])
    }

    /// Moves a process's last heartbeat to the database's now; false when its row is gone (a
    /// monitor removed it), so the caller can register again.
    @discardableResult
    public static func beat(id: String, on connection: Connection) throws -> Bool {
        let sql = """
            UPDATE \(quoteIdentifier(tableName)) SET last_heartbeat = \(currentTimestamp(connection.dialect))
            WHERE id = \(connection.dialect.placeholder(1))
            """
        return try connection.execute(sql, [.text(id)]) == 1
    }

    /// Removes a process's row, as a clean stop does.
    public static func unregister(id: String, on connection: Connection) throws {
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE id = \(connection.dialect.placeholder(1))", [.text(id)])
    }

    /// Every registered process, live or stale, with its heartbeat age by the database's clock;
    /// empty when the table does not exist.
    public static func components(on connection: Connection) throws -> [ComponentRecord] {
        let age = heartbeatAgeExpression(connection.dialect)
        let sql = """
            SELECT id, kind, host, pid, versions, started_at, last_heartbeat, \(age) AS age
            FROM \(quoteIdentifier(tableName)) ORDER BY kind, host, pid, id
            """
        let rows: [Row]
        do {
            rows = try connection.query(sql)
        } catch let error as DatabaseError where error.isMissingTable {
            return []
        }
        return try rows.map { row in
            ComponentRecord(
                id: try row.decode(String.self, "id"), kind: try row.decode(String.self, "kind"),
                host: try row.decode(String.self, "host"), pid: try row.decode(Int.self, "pid"),
                versions: versions(fromJSON: try row.decode(String.self, "versions")),
                startedAt: try row.decode(Date.self, "started_at"),
                lastHeartbeat: try row.decode(Date.self, "last_heartbeat"),
                heartbeatAge: max(0, try row.decode(Double.self, "age")))
        }
    }

    /// The database's current time as an SQL expression, in the form each driver reads back.
    static func currentTimestamp(_ dialect: Dialect) -> String {
        switch dialect {
        case .postgres: "CURRENT_TIMESTAMP"
        case .sqlite: "strftime('%Y-%m-%d %H:%M:%fZ', 'now')"
        }
    }

    /// Runs a `CREATE TABLE IF NOT EXISTS`, tolerating another process creating the same table at
    /// the same moment (PostgreSQL then reports a duplicate type name).
    static func createIfMissing(_ sql: String, on connection: Connection) throws {
        do {
            try connection.execute(sql)
        } catch let error as DatabaseError where error.isUniqueViolation && !connection.isInTransaction {
            return
        }
    }

    /// Reads the versions column leniently: another tool may have written anything there, and a
    /// value that is not a string is kept as its JSON text.
    private static func versions(fromJSON text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.mapValues { ($0 as? String) ?? "\($0)" }
    }
}

extension DatabaseError {
    /// Whether the statement failed because a table it names does not exist.
    var isMissingTable: Bool {
        switch dialect {
        case .postgres: code == "42P01"
        case .sqlite: message.hasPrefix("no such table")
        case nil: false
        }
    }
}
