import Foundation
import TandemDatabase

extension StepRunner {
    /// Runs `body`, a statement that blocks no writer and so may wait long (a `CONCURRENTLY`
    /// build waits for every older transaction; a validation for its lock), and meanwhile, on
    /// PostgreSQL, logs every ``MigrationSettings/waitReportInterval`` which sessions it waits
    /// for, read through a connection of its own (``watchURL``), so that an operator sees whom to
    /// ask instead of a silent pause.
    func reportingWaits<T>(of step: PlannedStep, _ body: () throws -> T) throws -> T {
        guard connection.dialect == .postgres, let url = watchURL, settings.waitReportInterval > .zero,
            let pid = try? connection.query("SELECT pg_backend_pid()")[0].decode(Int.self, at: 0)
        else { return try body() }
        let stop = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let (logger, interval, migration) = (logger, settings.waitReportInterval, step.migration.id)
        Thread.detachNewThread {
            defer { finished.signal() }
            guard let watcher = try? Database(url: url, maximumConnections: 1) else { return }
            defer { watcher.close() }
            while stop.wait(timeout: .now() + interval.timeInterval) == .timedOut {
                guard let holders = try? watcher.withConnection({ try LockHolder.blockers(of: pid, on: $0) }),
                    !holders.isEmpty
                else { continue }
                let sessions = holders.map(\.description).joined(separator: "; ")
                logger.warning(
                    "\(migration): still waiting (it blocks no writer meanwhile) for \(holders.count) session(s): \(sessions)"
                )
            }
        }
        defer {
            stop.signal()
            finished.wait()
        }
        return try body()
    }
}

extension LockHolder {
    /// The sessions that server process `pid` waits for, by pid.
    static func blockers(of pid: Int, on connection: Connection) throws -> [LockHolder] {
        try connection.query(
            """
            SELECT a.pid, coalesce(a.application_name, '') AS application_name,
                coalesce(to_char(a.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') AS query_start,
                left(coalesce(a.query, ''), \(queryPrefixLength)) AS query
            FROM pg_catalog.pg_stat_activity a WHERE a.pid = ANY(pg_catalog.pg_blocking_pids($1::int))
            ORDER BY a.pid
            """, [.integer(Int64(pid))]
        ).map(LockHolder.init(row:))
    }
}
