import Foundation
import TandemDatabase

/// The raw baselines: the same inserts and claims as the task queue, as plain SQL through the
/// driver, without reservations, versions or wake-up bookkeeping beyond one `pg_notify`.
struct RawTaskLoops: Sendable {
    let database: Database

    func reset() async throws {
        try await database.withConnection { try $0.execute("DELETE FROM core_task") }
    }

    /// Inserts `count` waiting no-op tasks from `callers` concurrent loops, one transaction each
    /// (with `pg_notify` on PostgreSQL).
    func insert(count: Int, callers: Int) async throws {
        let database = self.database
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for _ in stride(from: caller, to: count, by: callers) {
                        try await database.transaction { connection in
                            let p = connection.dialect.placeholder
                            try connection.execute(
                                """
                                INSERT INTO core_task (pulp_id, name, state, args, versions, exclusive_resources, shared_resources)
                                VALUES (\(p(1)), 'core.noop', 'waiting', '{}', '{}', '[]', '[]')
                                """, [.uuid(UUID())])
                            if connection.dialect == .postgres {
                                _ = try connection.query("SELECT pg_notify('bench', '')")
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Claims (`FOR UPDATE SKIP LOCKED` on PostgreSQL) and completes every waiting task from
    /// `workers` concurrent loops.
    func claimAll(workers: Int) async throws {
        let database = self.database
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while true {
                        let claimed = try await database.transaction { connection -> Int64? in
                            let lock = connection.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
                            guard
                                let id = try connection.query(
                                    "SELECT id FROM core_task WHERE state = 'waiting' ORDER BY id LIMIT 1 \(lock)"
                                ).first.map({ try $0.decode(Int64.self, at: 0) })
                            else { return nil }
                            try connection.execute(
                                "UPDATE core_task SET state = 'running' WHERE id = \(connection.dialect.placeholder(1))",
                                [.integer(id)])
                            return id
                        }
                        guard let claimed else { return }
                        try await database.withConnection { connection in
                            try connection.execute(
                                "UPDATE core_task SET state = 'completed' WHERE id = \(connection.dialect.placeholder(1))",
                                [.integer(claimed)])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// A fresh database for one benchmark run, removed by ``drop()``.
struct BenchDatabase {
    let database: Database
    let drop: () -> Void

    /// A fresh schema on the PostgreSQL server.
    static func postgres(server: String) throws -> BenchDatabase {
        let schema = "bench_tasks_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try Database(server, maximumConnections: 1)
        try admin.withConnection { try $0.execute("CREATE SCHEMA \(quoteIdentifier(schema))") }
        let separator = server.contains("?") ? "&" : "?"
        let database = try Database(server + separator + "options=-csearch_path%3D\(schema)")
        return BenchDatabase(database: database) {
            database.close()
            _ = try? admin.withConnection { try $0.execute("DROP SCHEMA \(quoteIdentifier(schema)) CASCADE") }
            admin.close()
        }
    }

    /// A SQLite file in a fresh temporary folder.
    static func sqlite() throws -> BenchDatabase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-tasks-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try Database("sqlite://" + folder.appendingPathComponent("bench.sqlite3").path)
        return BenchDatabase(database: database) {
            database.close()
            try? FileManager.default.removeItem(at: folder)
        }
    }
}
