import Foundation
import TandemDatabase
import TandemMigrations

/// Reading `tandem_components` from tests, and waiting for it to change.
enum ComponentRows {
    /// Every row.
    static func all(_ database: Database) async throws -> [ComponentRecord] {
        try await database.withConnection { try ComponentRegistry.components(on: $0) }
    }

    /// Polls every 50 ms until `condition` holds for the rows, or fails after `timeout`.
    @discardableResult
    static func wait(
        _ database: Database, timeout: Duration = .seconds(30), for what: String,
        until condition: ([ComponentRecord]) -> Bool
    ) async throws -> [ComponentRecord] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let rows = try await all(database)
            if condition(rows) { return rows }
            guard ContinuousClock.now < deadline else { throw RowsTimedOut(what: what, rows: rows) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A condition on `tandem_components` did not come true in time.
struct RowsTimedOut: Error, CustomStringConvertible {
    let what: String
    let rows: [ComponentRecord]
    var description: String { "timed out waiting for \(what); rows: \(rows.map(\.label))" }
}
