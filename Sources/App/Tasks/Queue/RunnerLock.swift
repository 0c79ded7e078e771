import TandemDatabase

/// The session advisory lock a process holds on PostgreSQL while it runs tasks: when the
/// process dies, its session ends and the lock frees itself, which is how the others notice
/// (`pg_try_advisory_lock` succeeds) within moments instead of a heartbeat timeout.
struct RunnerLock: Sendable {
    /// The session holding the lock; workers also listen for wake-ups on it.
    let session: PostgresSession
    /// The lock's second key, recorded on the tasks this process runs.
    let key: Int32

    /// Takes a fresh lock on a new session; nil on SQLite, where liveness comes from process ids
    /// and heartbeats.
    static func acquire(_ url: DatabaseURL) async throws -> RunnerLock? {
        guard url.dialect == .postgres else { return nil }
        let session = try await PostgresSession.open(url)
        while true {
            let key = Int32.random(in: Int32.min...Int32.max)
            let rows = try await session.query(
                "SELECT pg_try_advisory_lock($1, $2)",
                [.integer(Int64(TaskTables.workerLockClass)), .integer(Int64(key))])
            if try rows[0].decode(Bool.self, at: 0) { return RunnerLock(session: session, key: key) }
        }
    }

    /// Frees the lock by ending the session.
    func release() async {
        await session.close()
    }
}
