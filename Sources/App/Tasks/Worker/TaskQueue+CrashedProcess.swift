import Foundation
import TandemDatabase

extension TaskQueue {
    /// Marks failed, with `cause`, the tasks a process of this host was running when it ended
    /// abnormally (a trap, SIGKILL), freeing their reservations; returns how many. The worker
    /// supervisor calls it as soon as its worker process dies, before restarting one.
    @discardableResult
    public func failTasks(ofProcess pid: Int32, cause: String) async throws -> Int {
        let host = ProcessInfo.processInfo.hostName
        let bell = wakeups
        let count = try await database.transaction { connection in
            let p = connection.dialect.placeholder
            let failed = try connection.execute(
                """
                UPDATE \(TaskTables.task) SET state = CASE WHEN state = 'canceling' THEN 'canceled' ELSE 'failed' END,
                    error = \(p(1)), finished_at = \(TaskTables.now(connection.dialect))
                WHERE \(TaskTables.holding) AND worker_host = \(p(2)) AND worker_pid = \(p(3))
                """, [.text(cause), .text(host), .integer(Int64(pid))])
            if failed > 0 { try bell.ringInTransaction(on: connection) }
            return failed
        }
        if count > 0 { bell.ringAfterCommit() }
        return count
    }
}
