import Foundation
import TandemDatabase
import TandemMigrations

/// Reading `tandem_components` from tests, and waiting for it to change; shared by the tests of
/// process registration (TandemAppTests) and of worker processes (TandemTasksTests).
public enum ComponentRows {
    /// Every row.
    public static func all(_ database: Database) async throws -> [ComponentRecord] {
        try await database.withConnection { try ComponentRegistry.components(on: $0) }
    }

    /// Polls every 50 ms until `condition` holds for the rows, or fails after `timeout`.
    @discardableResult
    public static func wait(
        _ database: Database, timeout: Duration = .seconds(30), for what: String,
        until condition: ([ComponentRecord]) -> Bool
    ) async throws -> [ComponentRecord] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let rows = try await all(database)
            if condition(rows) { return rows }
            guard ContinuousClock.now < deadline else { throw WaitTimedOut(what: what, rows: rows) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Makes a row's last heartbeat `seconds` old, by the database's clock.
    public static func age(_ id: String, by seconds: Int, on database: Database) async throws {
        try await database.withConnection { connection in
            let past =
                connection.dialect == .postgres
                ? "CURRENT_TIMESTAMP - make_interval(secs => $1)"
                : "strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-' || ? || ' seconds')"
            let p = connection.dialect.placeholder
            _ = try connection.execute(
                "UPDATE \(quoteIdentifier(ComponentRegistry.tableName)) SET last_heartbeat = \(past) WHERE id = \(p(2))",
                [.integer(Int64(seconds)), .text(id)])
        }
    }
}

/// A condition on `tandem_components` did not come true in time.
public struct WaitTimedOut: Error, CustomStringConvertible {
    /// What the test waited for.
    public let what: String
    /// The rows at the deadline.
    public let rows: [ComponentRecord]
    /// Says what was waited for, and the rows' labels.
    public var description: String { "timed out waiting for \(what); rows: \(rows.map(\.label))" }
}
