import Foundation
import TandemDatabase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The migration lock: one runner at a time per database (per schema on PostgreSQL).
///
/// - PostgreSQL: a session advisory lock on the runner's connection, keyed by
///   `current_database()` and `current_schema()`, so runners on different schemas of one server
///   (as parallel tests use) do not exclude each other. A waiting runner polls
///   `pg_try_advisory_lock` every 100 ms; the server releases the lock if the holder's session
///   dies.
/// - SQLite file: an exclusive `flock` on `<database file>-migrate.lock`, the kind of operating
///   system lock SQLite itself relies on; the kernel releases it when the runner's process
///   dies, so a crash never leaves a stale lock. (Not SQLite's own write lock: a table rebuild
///   must switch foreign keys off outside any transaction, so no transaction can span a run.)
/// - In-memory SQLite belongs to one connection: nothing to lock.
enum MigrationLock {
    /// The advisory lock's first key: `tand` in ASCII.
    static let advisoryClass: Int32 = 0x7461_6E64
    private static let advisoryKey =
        "\(advisoryClass), hashtext(current_database() || '.' || coalesce(current_schema(), ''))"

    /// Runs `body` holding the lock for the runner using `connection`, after waiting up to
    /// `timeout` for it; releases it when `body` returns or throws.
    ///
    /// - Throws: ``MigrationRefusal`` when another runner still holds it after `timeout`.
    static func withLock<T>(on connection: Connection, url: DatabaseURL, timeout: Duration, _ body: () throws -> T)
        throws -> T
    {
        let release: () -> Void
        switch url.location {
        case .postgres:
            release = try acquirePostgres(on: connection, timeout: timeout)
        case .sqliteFile(let path):
            release = try acquireFile(path + "-migrate.lock", timeout: timeout)
        case .sqliteMemory:
            release = {}
        }
        defer { release() }
        return try body()
    }

    private static func acquirePostgres(on connection: Connection, timeout: Duration) throws -> () -> Void {
        // Polled rather than waited for in one `pg_advisory_lock` call: a waiting statement is an
        // open transaction, and the holder's `CREATE INDEX CONCURRENTLY` waits for every open
        // transaction to finish, so the two runners would wait for each other.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var acquired = try tryLock(connection)
        while !acquired, clock.now < deadline {
            Thread.sleep(forTimeInterval: min(0.1, max(0, clock.now.duration(to: deadline).timeInterval)))
            acquired = try tryLock(connection)
        }
        guard acquired else {
            let holder = try? connection.query(
                """
                SELECT a.pid, coalesce(a.client_addr::text, 'local') AS client, a.application_name
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = \(advisoryClass)
                    AND l.objid::bigint = (hashtext(current_database() || '.' || coalesce(current_schema(), ''))::bigint & 4294967295)
                """
            ).first
            let who = holder.map { row in
                " (server process \((try? row.decode(Int.self, "pid")).map(String.init) ?? "?"), client \((try? row.decode(String.self, "client")) ?? "?"))"
            }
            throw MigrationRefusal(
                .lockHeld(holder: who.map { String($0.dropFirst(2).dropLast()) }),
                "another runner holds the migration lock\(who ?? ""); gave up after waiting \(describe(timeout)) (--lock-timeout)"
            )
        }
        return {
            _ = try? connection.execute("SELECT pg_advisory_unlock(\(advisoryKey))")
        }
    }

    private static func tryLock(_ connection: Connection) throws -> Bool {
        try connection.query("SELECT pg_try_advisory_lock(\(advisoryKey))")[0].decode(Bool.self, at: 0)
    }

    private static func acquireFile(_ path: String, timeout: Duration) throws -> () -> Void {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DatabaseError(
                kind: .connection, dialect: .sqlite, code: String(errno),
                message: "cannot open the migration lock file \(path): \(String(cString: strerror(errno)))")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard clock.now < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
                    in: .whitespacesAndNewlines)
                close(descriptor)
                let who = holder.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""
                throw MigrationRefusal(
                    .lockHeld(holder: holder.flatMap { $0.isEmpty ? nil : $0 }),
                    "another runner holds the migration lock\(who) on \(path); gave up after waiting \(describe(timeout)) (--lock-timeout)"
                )
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let holder = "host \(ProcessInfo.processInfo.hostName), pid \(ProcessInfo.processInfo.processIdentifier)\n"
        _ = ftruncate(descriptor, 0)
        _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return {
            _ = ftruncate(descriptor, 0)
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// `5s`, `1.5s`, `250ms`.
    static func describe(_ duration: Duration) -> String {
        duration < .seconds(1) ? "\(duration.milliseconds)ms" : "\(String(format: "%g", duration.timeInterval))s"
    }
}
