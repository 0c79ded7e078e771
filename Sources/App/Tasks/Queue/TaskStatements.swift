import Foundation
import TandemDatabase

/// What dispatch stores.
struct TaskInsert: Sendable {
    let id: UUID
    let name: String
    let arguments: String
    let versions: String
    let exclusive: String
    let shared: String
    let immediate: Bool
    let deferred: Bool
    let group: UUID?
}

/// The task queue's statements, all with bound values. Each runs inside the caller's
/// transaction where it says so.
enum TaskStatements {
    static func insert(_ task: TaskInsert, on connection: Connection) throws {
        let dialect = connection.dialect
        try connection.execute(
            """
            INSERT INTO \(TaskTables.task) (pulp_id, pulp_created, name, state, args, versions, exclusive_resources,
                shared_resources, immediate, deferred, task_group_id)
            VALUES (\(dialect.placeholder(1)), \(TaskTables.now(dialect)), \(TaskTables.placeholders(dialect, from: 2, count: 9)))
            """,
            [
                .uuid(task.id), .text(task.name), .text(TaskState.waiting.rawValue), .text(task.arguments),
                .text(task.versions), .text(task.exclusive), .text(task.shared), .bool(task.immediate),
                .bool(task.deferred), task.group.map(DatabaseValue.uuid) ?? .null,
            ])
    }

    /// Serialises claims: PostgreSQL takes a transaction-level advisory lock; SQLite's
    /// `BEGIN IMMEDIATE` already holds the database's one write lock.
    static func lockClaims(on connection: Connection) throws {
        precondition(connection.isInTransaction, "claims run in a transaction")
        if connection.dialect == .postgres {
            _ = try connection.query(
                "SELECT pg_advisory_xact_lock($1, 0)", [.integer(Int64(TaskTables.claimLockClass))])
        }
    }

    /// The reservations of running and canceling tasks.
    static func holdings(on connection: Connection) throws -> ReservationBook {
        let rows = try connection.query(
            "SELECT exclusive_resources, shared_resources FROM \(TaskTables.task) WHERE \(TaskTables.holding)")
        return ReservationBook(
            holding: try rows.map { row in
                (
                    try JSONCoding.decode([ResourceName].self, try row.decode(String.self, "exclusive_resources")),
                    try JSONCoding.decode([ResourceName].self, try row.decode(String.self, "shared_resources"))
                )
            })
    }

    /// A waiting task as a claim sees it.
    struct Candidate {
        let id: UUID
        let name: String
        let versions: [String: String]
        let exclusive: [ResourceName]
        let shared: [ResourceName]
        let deferred: Bool
    }

    /// Waiting tasks in dispatch order, one page.
    static func waiting(after sequence: Int64, limit: Int, on connection: Connection) throws -> [(Int64, Candidate)] {
        let p = connection.dialect.placeholder
        let rows = try connection.query(
            """
            SELECT id, pulp_id, name, versions, exclusive_resources, shared_resources, deferred FROM \(TaskTables.task)
            WHERE state = 'waiting' AND id > \(p(1)) ORDER BY id LIMIT \(p(2))
            """, [.integer(sequence), .integer(Int64(limit))])
        return try rows.map { row in
            (
                try row.decode(Int64.self, "id"),
                Candidate(
                    id: try row.decode(UUID.self, "pulp_id"), name: try row.decode(String.self, "name"),
                    versions: try JSONCoding.decode([String: String].self, try row.decode(String.self, "versions")),
                    exclusive: try JSONCoding.decode(
                        [ResourceName].self, try row.decode(String.self, "exclusive_resources")),
                    shared: try JSONCoding.decode([ResourceName].self, try row.decode(String.self, "shared_resources")),
                    deferred: try row.decode(Bool.self, "deferred"))
            )
        }
    }

    /// Claims a given waiting task (an immediate one, just inserted) when its reservations are
    /// free, first come first served; false when they are not.
    static func claim(_ id: UUID, runner: TaskRunnerIdentity, on connection: Connection) throws -> Bool {
        try lockClaims(on: connection)
        var book = try holdings(on: connection)
        var sequence: Int64 = 0
        while true {
            let page = try waiting(after: sequence, limit: 500, on: connection)
            guard !page.isEmpty else { return false }
            for (position, candidate) in page {
                sequence = position
                if candidate.id == id {
                    guard book.isFree(exclusive: candidate.exclusive, shared: candidate.shared) else { return false }
                    return try start(id, runner: runner, on: connection)
                }
                if candidate.deferred { book.await(exclusive: candidate.exclusive, shared: candidate.shared) }
            }
        }
    }

    /// Claims the first waiting deferred task whose reservations are free and that `canRun`
    /// accepts, first come first served; nil when there is none.
    static func claimNext(
        runner: TaskRunnerIdentity, canRun: (Candidate) -> Bool, on connection: Connection
    ) throws -> UUID? {
        try lockClaims(on: connection)
        var book = try holdings(on: connection)
        var sequence: Int64 = 0
        // Most claims take the first waiting task: a small first page, larger ones after.
        var pageSize = 16
        while true {
            let page = try waiting(after: sequence, limit: pageSize, on: connection)
            pageSize = 256
            guard !page.isEmpty else { return nil }
            for (position, candidate) in page {
                sequence = position
                // An immediate-only task is decided in its dispatch's own transaction.
                guard candidate.deferred else { continue }
                if book.isFree(exclusive: candidate.exclusive, shared: candidate.shared), canRun(candidate),
                    try isUnlocked(candidate.id, on: connection),
                    try start(candidate.id, runner: runner, on: connection)
                {
                    return candidate.id
                }
                book.await(exclusive: candidate.exclusive, shared: candidate.shared)
            }
        }
    }

    /// PostgreSQL: whether the row can be locked now (`FOR UPDATE SKIP LOCKED`), so a claim never
    /// waits behind a cancel in flight.
    private static func isUnlocked(_ id: UUID, on connection: Connection) throws -> Bool {
        guard connection.dialect == .postgres else { return true }
        return try !connection.query(
            "SELECT 1 FROM \(TaskTables.task) WHERE pulp_id = $1 AND state = 'waiting' FOR UPDATE SKIP LOCKED",
            [.uuid(id)]
        ).isEmpty
    }

    private static func start(_ id: UUID, runner: TaskRunnerIdentity, on connection: Connection) throws -> Bool {
        let dialect = connection.dialect
        let p = dialect.placeholder
        return try connection.execute(
            """
            UPDATE \(TaskTables.task) SET state = 'running', started_at = \(TaskTables.now(dialect)),
                worker = \(p(1)), worker_host = \(p(2)), worker_pid = \(p(3)), worker_lock = \(p(4))
            WHERE pulp_id = \(p(5)) AND state = 'waiting'
            """,
            [
                .text(runner.name), .text(runner.host), .integer(Int64(runner.pid)),
                runner.lockKey.map { .integer(Int64($0)) } ?? .null, .uuid(id),
            ]) == 1
    }

    /// Moves a task that is not final yet to a final state, freeing its reservations; false
    /// when it was final already.
    @discardableResult
    static func finish(_ id: UUID, state: TaskState, error: String?, on connection: Connection) throws -> Bool {
        precondition(state.isFinal)
        let dialect = connection.dialect
        let p = dialect.placeholder
        return try connection.execute(
            """
            UPDATE \(TaskTables.task) SET state = \(p(1)), error = \(p(2)), finished_at = \(TaskTables.now(dialect))
            WHERE pulp_id = \(p(3)) AND state IN ('waiting', 'running', 'canceling')
            """, [.text(state.rawValue), error.map(DatabaseValue.text) ?? .null, .uuid(id)]) == 1
    }

    /// Cancels the tasks `condition` selects: waiting ones at once, running ones to `canceling`.
    static func cancel(where condition: String, _ values: [DatabaseValue], on connection: Connection) throws {
        let now = TaskTables.now(connection.dialect)
        try connection.execute(
            """
            UPDATE \(TaskTables.task) SET state = 'canceled', finished_at = \(now), error = 'canceled'
            WHERE state = 'waiting' AND \(condition)
            """, values)
        try connection.execute(
            "UPDATE \(TaskTables.task) SET state = 'canceling' WHERE state = 'running' AND \(condition)", values)
    }

    /// The state of one task, or nil when it is gone.
    static func state(_ id: UUID, on connection: Connection) throws -> TaskState? {
        let rows = try connection.query(
            "SELECT state FROM \(TaskTables.task) WHERE pulp_id = \(connection.dialect.placeholder(1))", [.uuid(id)])
        return try rows.first.flatMap { TaskState(rawValue: try $0.decode(String.self, at: 0)) }
    }

    static func task(_ id: UUID, on connection: Connection) throws -> TaskRecord? {
        let rows = try connection.query(
            "SELECT \(TaskRecord.columns) FROM \(TaskTables.task) WHERE pulp_id = \(connection.dialect.placeholder(1))",
            [.uuid(id)])
        return try rows.first.map(TaskRecord.init(row:))
    }

    static func tasks(states: [TaskState], group: UUID?, limit: Int, on connection: Connection) throws -> [TaskRecord] {
        let dialect = connection.dialect
        var conditions: [String] = []
        var values: [DatabaseValue] = []
        if !states.isEmpty {
            conditions.append("state IN (\(TaskTables.placeholders(dialect, from: 1, count: states.count)))")
            values += states.map { .text($0.rawValue) }
        }
        if let group {
            values.append(.uuid(group))
            conditions.append("task_group_id = \(dialect.placeholder(values.count))")
        }
        values.append(.integer(Int64(limit)))
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try connection.query(
            "SELECT \(TaskRecord.columns) FROM \(TaskTables.task) \(filter) ORDER BY id DESC LIMIT \(dialect.placeholder(values.count))",
            values
        ).map(TaskRecord.init(row:))
    }
}
