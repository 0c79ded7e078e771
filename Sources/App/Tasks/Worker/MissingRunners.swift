import Foundation
import TandemDatabase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds tasks whose runner is gone and marks them failed ("worker has gone missing"), freeing
/// their reservations.
///
/// PostgreSQL: a runner holds a session advisory lock while it lives; when its process dies the
/// session ends and the lock frees itself, so `pg_try_advisory_lock` succeeding means gone.
/// SQLite (one machine): the runner's process no longer exists, or its `tandem_components`
/// heartbeat is older than the timeout.
enum MissingRunners {
    /// The message recorded on the tasks of a runner that went missing.
    static let message = "worker has gone missing"

    /// Marks the tasks of runners that are gone failed; returns how many.
    static func reap(on connection: Connection, heartbeatTimeout: Duration) throws -> Int {
        switch connection.dialect {
        case .postgres: try reapPostgres(on: connection)
        case .sqlite: try reapSQLite(on: connection, heartbeatTimeout: heartbeatTimeout)
        }
    }

    private static func reapPostgres(on connection: Connection) throws -> Int {
        let keys = try connection.query(
            "SELECT DISTINCT worker_lock FROM \(TaskTables.task) WHERE \(TaskTables.holding) AND worker_lock IS NOT NULL"
        ).map { try $0.decode(Int64.self, at: 0) }
        var failed = 0
        let lockClass = DatabaseValue.integer(Int64(TaskTables.workerLockClass))
        for key in keys {
            guard
                try connection.query("SELECT pg_try_advisory_lock($1, $2)", [lockClass, .integer(key)])[0]
                    .decode(Bool.self, at: 0)
            else { continue }
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1, $2)", [lockClass, .integer(key)]) }
            failed += try failTasks(where: "worker_lock = $1", [.integer(key)], on: connection)
        }
        return failed
    }

    private static func reapSQLite(on connection: Connection, heartbeatTimeout: Duration) throws -> Int {
        let here = ProcessInfo.processInfo.hostName
        let runners = try connection.query(
            "SELECT DISTINCT worker, worker_host, worker_pid FROM \(TaskTables.task) WHERE \(TaskTables.holding)")
        let stale = try staleComponents(on: connection, timeout: heartbeatTimeout)
        var failed = 0
        for row in runners {
            let name = try row.decode(String?.self, "worker")
            let host = try row.decode(String?.self, "worker_host")
            let pid = try row.decode(Int?.self, "worker_pid")
            var gone = name.map(stale.contains) ?? false
            if let pid, host == here, !isAlive(pid_t(pid)) { gone = true }
            guard gone, let name else { continue }
            failed += try failTasks(where: "worker = ?1", [.text(name)], on: connection)
        }
        return failed
    }

    /// Whether a process of this machine still runs: it exists and is not a zombie waiting for
    /// its parent (an orphan's parent may take a while to collect it).
    private static func isAlive(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// Ids of registered processes whose last heartbeat is older than `timeout`.
    private static func staleComponents(on connection: Connection, timeout: Duration) throws -> Set<String> {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        do {
            return Set(
                try connection.query(
                    """
                    SELECT id FROM \(quoteIdentifier("tandem_components"))
                    WHERE (julianday('now') - julianday(last_heartbeat)) * 86400.0 > ?1
                    """, [.double(seconds)]
                ).map { try $0.decode(String.self, at: 0) })
        } catch let error as DatabaseError where error.message.hasPrefix("no such table") {
            return []
        }
    }

    private static func failTasks(where condition: String, _ values: [DatabaseValue], on connection: Connection) throws
        -> Int
    {
        let now = TaskTables.now(connection.dialect)
        let p = connection.dialect.placeholder(values.count + 1)
        return try connection.execute(
            """
            UPDATE \(TaskTables.task) SET state = CASE WHEN state = 'canceling' THEN 'canceled' ELSE 'failed' END,
                error = \(p), finished_at = \(now)
            WHERE \(TaskTables.holding) AND \(condition)
            """, values + [.text(message)])
    }
}
