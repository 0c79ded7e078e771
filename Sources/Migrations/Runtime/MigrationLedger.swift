import Foundation
import TandemDatabase

/// One row of `tandem_migrations`: a migration file that was applied, and how.
public struct AppliedMigration: Sendable, Hashable, Codable {
    /// The component (folder).
    public let component: String
    /// The file's name without `.yaml`: `0003_tasks`.
    public let name: String
    /// The file's number.
    public let number: Int
    /// Its phase when applied.
    public let phase: Phase
    /// The release that shipped it.
    public let release: String
    /// The SHA-256 of the file's bytes, hex.
    public let checksum: String
    /// When it was applied, by the database's clock.
    public let appliedAt: Date
    /// How long applying it took, in milliseconds.
    public let durationMilliseconds: Int
    /// The host of the runner that applied it.
    public let host: String
    /// The process identifier of the runner that applied it.
    public let pid: Int
    /// Its place in the order migrations were applied: 1, 2, 3…
    public let sequence: Int

    /// Creates a row; ``MigrationLedger/applied(on:)`` reads these.
    public init(
        component: String, name: String, number: Int, phase: Phase, release: String, checksum: String,
        appliedAt: Date, durationMilliseconds: Int, host: String, pid: Int, sequence: Int
    ) {
        self.component = component
        self.name = name
        self.number = number
        self.phase = phase
        self.release = release
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.durationMilliseconds = durationMilliseconds
        self.host = host
        self.pid = pid
        self.sequence = sequence
    }

    /// `core/0003_tasks`, as ``MigrationID`` prints it.
    public var identifier: String { component + "/" + name }
}

/// The ledger, `tandem_migrations`: which migration files are applied, with each file's checksum,
/// phase and release, when, how long it took, and which host and process applied it.
///
/// Its primary key is `(component, name)`, `name` being the file name without `.yaml`
/// (`0003_tasks`); `sequence` numbers the rows in the order they were applied (timestamps can
/// tie). A row is written in the same transaction as the migration's last statement
/// and removed in the same transaction as the last statement that undoes it.
public enum MigrationLedger {
    /// The table's name.
    public static let tableName = "tandem_migrations"

    /// Creates the table when it does not exist yet.
    public static func createTable(on connection: Connection) throws {
        let time = connection.dialect == .postgres ? "TIMESTAMPTZ" : "TEXT"
        try ComponentRegistry.createIfMissing(
            """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(tableName)) (
                component TEXT NOT NULL,
                name TEXT NOT NULL,
                number INTEGER NOT NULL,
                phase TEXT NOT NULL,
                release TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at \(time) NOT NULL,
                duration_ms BIGINT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                sequence BIGINT NOT NULL,
                PRIMARY KEY (component, name)
            )
            """, on: connection)
    }

    /// Every applied migration, oldest first; empty when the table does not exist yet.
    ///
    /// This is the one query a `tandem migrate` with nothing to do runs.
    public static func applied(on connection: Connection) throws -> [AppliedMigration] {
        let rows: [Row]
        do {
            rows = try connection.query(
                """
                SELECT component, name, number, phase, release, checksum, applied_at, duration_ms, host, pid, sequence
                FROM \(quoteIdentifier(tableName)) ORDER BY sequence
                """)
        } catch let error as DatabaseError where error.isMissingTable {
            return []
        }
        return try rows.map { row in
            let phase = try row.decode(String.self, "phase")
            return AppliedMigration(
                component: try row.decode(String.self, "component"), name: try row.decode(String.self, "name"),
                number: try row.decode(Int.self, "number"), phase: Phase(rawValue: phase) ?? .breaking,
                release: try row.decode(String.self, "release"), checksum: try row.decode(String.self, "checksum"),
                appliedAt: try row.decode(Date.self, "applied_at"),
                durationMilliseconds: try row.decode(Int.self, "duration_ms"),
                host: try row.decode(String.self, "host"), pid: try row.decode(Int.self, "pid"),
                sequence: try row.decode(Int.self, "sequence"))
        }
    }

    /// Records `migration` as applied, taking `duration`; run inside the migration's last
    /// transaction, under the migration lock (which makes `max(sequence) + 1` safe).
    static func record(_ migration: Migration, duration: Duration, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        let now = connection.dialect == .postgres ? "clock_timestamp()" : ComponentRegistry.currentTimestamp(.sqlite)
        try connection.execute(
            """
            INSERT INTO \(quoteIdentifier(tableName))
                (component, name, number, phase, release, checksum, applied_at, duration_ms, host, pid, sequence)
            SELECT \(p(1)), \(p(2)), \(p(3)), \(p(4)), \(p(5)), \(p(6)), \(now), \(p(7)), \(p(8)), \(p(9)),
                coalesce(max(sequence), 0) + 1
            FROM \(quoteIdentifier(tableName))
            """,
            [
                .text(migration.id.component), .text(ledgerName(migration.id)), .integer(Int64(migration.id.number)),
                .text(migration.phase.rawValue), .text(migration.release.description), .text(migration.checksum),
                .integer(duration.milliseconds), .text(ProcessInfo.processInfo.hostName),
                .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
            ])
    }

    /// Removes the row of an undone migration; run inside the last transaction that undoes it.
    static func remove(_ id: MigrationID, on connection: Connection) throws {
        let p = connection.dialect.placeholder
        try connection.execute(
            "DELETE FROM \(quoteIdentifier(tableName)) WHERE component = \(p(1)) AND name = \(p(2))",
            [.text(id.component), .text(ledgerName(id))])
    }

    /// The ledger's `name` for a migration: its file name without `.yaml`.
    static func ledgerName(_ id: MigrationID) -> String {
        String(id.description.dropFirst(id.component.count + 1))
    }
}
