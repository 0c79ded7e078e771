import Foundation
import TandemDatabase

/// A progress report of a task or of a task group: a message, a code, a total and how many
/// are done. Counts move only through atomic updates in the database (`done = done + 1`), so
/// tasks running on many workers never lose an increment.
public struct ProgressReport: Sendable, Hashable, Codable {
    /// The report's identifier.
    public let id: UUID
    /// What is being counted, for people.
    public let message: String
    /// What is being counted, for programs (`sync.downloading.artifacts`).
    public let code: String
    /// How many there are, when known.
    public let total: Int?
    /// How many are done.
    public let done: Int

    /// What a report belongs to.
    enum Owner {
        case task(UUID)
        case group(UUID)

        var column: String {
            switch self {
            case .task: "task_id"
            case .group: "task_group_id"
            }
        }

        var id: UUID {
            switch self {
            case .task(let id), .group(let id): id
            }
        }
    }

    static func create(owner: Owner, message: String, code: String, total: Int?, on database: Database) async throws
        -> ProgressReport
    {
        let report = ProgressReport(id: UUID(), message: message, code: code, total: total, done: 0)
        try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            try connection.execute(
                """
                INSERT INTO \(TaskTables.progress) (pulp_id, message, code, total, done, \(owner.column))
                VALUES (\(p(1)), \(p(2)), \(p(3)), \(p(4)), 0, \(p(5)))
                """,
                [
                    .uuid(report.id), .text(message), .text(code), total.map { .integer(Int64($0)) } ?? .null,
                    .uuid(owner.id),
                ])
        }
        return report
    }

    static func increment(owner: Owner, code: String, by count: Int, on database: Database) async throws {
        let changed = try await database.withConnection { connection in
            let p = connection.dialect.placeholder
            return try connection.execute(
                "UPDATE \(TaskTables.progress) SET done = done + \(p(1)) WHERE \(owner.column) = \(p(2)) AND code = \(p(3))",
                [.integer(Int64(count)), .uuid(owner.id), .text(code)])
        }
        guard changed == 1 else { throw TaskNotFound(what: "progress report '\(code)'") }
    }

    static func reports(owner: Owner, on connection: Connection) throws -> [ProgressReport] {
        try connection.query(
            """
            SELECT \(columns) FROM \(TaskTables.progress)
            WHERE \(owner.column) = \(connection.dialect.placeholder(1)) ORDER BY code
            """, [.uuid(owner.id)]
        ).map(ProgressReport.init(row:))
    }

    /// The reports of each of the tasks `ids`, by code: one query per thousand tasks, so a page
    /// of a task list costs one query for all its reports, and stays under SQLite's limit on
    /// bound values whatever the page size.
    static func reports(ofTasks ids: [UUID], on connection: Connection) throws -> [UUID: [ProgressReport]] {
        var reports: [UUID: [ProgressReport]] = [:]
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = ids[start..<min(start + 1000, ids.count)]
            let list = (1...chunk.count).map(connection.dialect.placeholder).joined(separator: ", ")
            let rows = try connection.query(
                """
                SELECT task_id, \(columns) FROM \(TaskTables.progress)
                WHERE task_id IN (\(list)) ORDER BY code
                """, chunk.map { .uuid($0) })
            for row in rows {
                reports[try row.decode(UUID.self, "task_id"), default: []].append(try ProgressReport(row: row))
            }
        }
        return reports
    }

    /// The columns ``init(row:)`` reads.
    fileprivate static let columns = "pulp_id, message, code, total, done"
}

extension ProgressReport {
    /// A report from a row holding ``columns`` (in an extension, so the memberwise initializer stays).
    fileprivate init(row: Row) throws {
        self.init(
            id: try row.decode(UUID.self, "pulp_id"), message: try row.decode(String.self, "message"),
            code: try row.decode(String.self, "code"), total: try row.decode(Int?.self, "total"),
            done: try row.decode(Int.self, "done"))
    }
}
