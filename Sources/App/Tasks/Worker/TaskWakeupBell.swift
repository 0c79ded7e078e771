import Foundation
import TandemDatabase

/// Wakes idle workers when there may be work: a task dispatched, a task ended (its reservations
/// are free), a cancel.
///
/// PostgreSQL: `pg_notify` in the transaction that made the change, delivered on commit to
/// every worker listening on any machine. SQLite (one machine): a datagram to every worker's
/// Unix socket in a folder named after the database file, sent after commit.
struct TaskWakeupBell: Sendable {
    let dialect: Dialect
    /// SQLite: the folder of the workers' sockets; nil for an in-memory database.
    let folder: URL?

    init(url: DatabaseURL) {
        dialect = url.dialect
        switch url.location {
        case .sqliteFile(let path): folder = LocalWakeup.folder(forDatabaseAt: path)
        case .postgres, .sqliteMemory: folder = nil
        }
    }

    /// PostgreSQL: notifies in the caller's transaction.
    func ringInTransaction(on connection: Connection) throws {
        guard dialect == .postgres else { return }
        _ = try connection.query("SELECT pg_notify($1, '')", [.text(TaskTables.channel)])
    }

    /// SQLite: wakes every local worker, after the change is committed.
    func ringAfterCommit() {
        guard let folder else { return }
        LocalWakeup.ring(folder)
    }
}
