import Foundation
import TandemDatabase
import TandemTriggers

/// What `tandem status` reports: applied and pending migrations with their phases, the
/// registered processes (live or stale) with their versions, and the gates that block.
///
/// Its JSON form (`tandem status --json`) is a contract for scripts and monitoring; keys are
/// stable and snake_case:
///
/// - `dialect`: `postgres` or `sqlite`; `heartbeat_timeout_s`: the liveness timeout used.
/// - `applied`: one object per ledger row, oldest first: `migration` (`core/0001_initial`),
///   `phase`, `release`, `checksum`, `applied_at` (ISO 8601), `duration_ms`, `host`, `pid`, and
///   `file`: `ok`, `changed` (the file differs from what was applied) or `missing`.
/// - `pending`: one object per migration not applied, in apply order: `migration`, `path`,
///   `phase`, `release`, `requires` (component → version), and `blocked_by`: the live processes
///   that block it, each as in `components` plus `failures`, a list of `component`, `required`,
///   `running`.
/// - `components`: every registered process: `id`, `kind`, `host`, `pid`, `versions`,
///   `started_at`, `last_heartbeat`, `heartbeat_age_s`, `live`.
/// - `blocked_gates`: the pending breaking migrations some live process blocks.
/// - `column_syncs`: the column pairs dual-write triggers keep equal: `table`, `old`, `new`,
///   `objects` (trigger and function names), `problems` (empty when the triggers are intact).
/// - `partly_applied`: the pending migrations a run stopped inside (``MigrationProgress``):
///   `migration`, `file` (`ok`, or `changed` since that run: the next run refuses it), and
///   `operations`, one object per operation committed in part or whole: `operation`, `summary`,
///   `statements_done`, `statements_total`, `checksum`, `host`, `pid`, `done_at`.
/// - `leftovers`: what interrupted runs left: `kind`, `table`, `name`, `step`, `detail` (see ``Leftover``).
public struct MigrationStatus: Sendable, Encodable {
    /// A pending migration a run stopped inside, with how far it got.
    public struct PartlyApplied: Sendable, Encodable {
        /// The migration.
        public let migration: String
        /// `ok`, `changed` (the file differs from the one the run applied) or `missing`.
        public let file: String
        /// Its operations committed in part or whole, in order.
        public let operations: [OperationProgress]
    }

    /// One applied migration.
    public struct Applied: Sendable, Encodable {
        /// The ledger row.
        public let row: AppliedMigration
        /// `ok`, `changed` or `missing`.
        public let file: String

        enum CodingKeys: String, CodingKey {
            case migration, phase, release, checksum, appliedAt = "applied_at", duration = "duration_ms", host, pid,
                file
        }

        /// Writes the contract's keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(row.identifier, forKey: .migration)
            try container.encode(row.phase, forKey: .phase)
            try container.encode(row.release, forKey: .release)
            try container.encode(row.checksum, forKey: .checksum)
            try container.encode(row.appliedAt, forKey: .appliedAt)
            try container.encode(row.durationMilliseconds, forKey: .duration)
            try container.encode(row.host, forKey: .host)
            try container.encode(row.pid, forKey: .pid)
            try container.encode(file, forKey: .file)
        }
    }

    /// One pending migration.
    public struct Pending: Sendable, Encodable {
        /// The migration.
        public let migration: Migration
        /// The live processes blocking it (breaking migrations only).
        public let blockedBy: [GateBlocker]

        enum CodingKeys: String, CodingKey {
            case migration, path, phase, release, requires, blockedBy = "blocked_by"
        }

        /// Writes the contract's keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(migration.id.description, forKey: .migration)
            try container.encode(migration.path, forKey: .path)
            try container.encode(migration.phase, forKey: .phase)
            try container.encode(migration.release, forKey: .release)
            try container.encode(migration.requires, forKey: .requires)
            try container.encode(blockedBy.map(BlockerJSON.init), forKey: .blockedBy)
        }
    }

    /// One registered process and whether it counts.
    public struct Component: Sendable, Encodable {
        /// The row.
        public let record: ComponentRecord
        /// Whether its heartbeat is younger than the timeout.
        public let live: Bool

        /// Writes the contract's keys.
        public func encode(to encoder: any Encoder) throws {
            try ComponentJSON(record, live: live).encode(to: encoder)
        }
    }

    /// The dialect of the database.
    public let dialect: Dialect
    /// The ledger, oldest first.
    public let applied: [Applied]
    /// The migrations not applied, in apply order.
    public let pending: [Pending]
    /// Every registered process.
    public let components: [Component]
    /// The liveness timeout used.
    public let heartbeatTimeout: Duration
    /// The column pairs dual-write triggers keep equal now (a rename or type change between its
    /// expand and contract steps), with any problem `verify` found in their triggers.
    public let columnSyncs: [InstalledColumnSync]
    /// The checkpoints of backfills not yet recorded with their migration: running, stopped or
    /// failed ones, which the next `tandem migrate` resumes.
    public let backfills: [BackfillCheckpoint]
    /// The pending migrations a run stopped inside; the next `tandem migrate` resumes them.
    public let partlyApplied: [PartlyApplied]
    /// What interrupted runs left (see ``Leftover``); the JSON's `leftovers`.
    public var leftovers: [Leftover] = []

    /// The pending breaking migrations that a live process blocks.
    public var blockedGates: [MigrationID] { pending.filter { !$0.blockedBy.isEmpty }.map(\.migration.id) }

    enum CodingKeys: String, CodingKey {
        case dialect, applied, pending, components, blockedGates = "blocked_gates", heartbeatTimeout =
            "heartbeat_timeout_s", columnSyncs = "column_syncs", backfills,
            partlyApplied = "partly_applied", leftovers
    }

    /// Writes the contract's keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dialect.rawValue, forKey: .dialect)
        try container.encode(applied, forKey: .applied)
        try container.encode(pending, forKey: .pending)
        try container.encode(components, forKey: .components)
        try container.encode(blockedGates.map(\.description), forKey: .blockedGates)
        try container.encode(heartbeatTimeout.timeInterval, forKey: .heartbeatTimeout)
        try container.encode(columnSyncs.map(ColumnSyncJSON.init), forKey: .columnSyncs)
        try container.encode(backfills, forKey: .backfills)
        try container.encode(partlyApplied, forKey: .partlyApplied)
        try container.encode(leftovers, forKey: .leftovers)
    }

    /// The JSON form, keys sorted, timestamps in ISO 8601.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

extension Migrator {
    /// The status now; reads only, takes no lock.
    public func status() throws -> MigrationStatus {
        try database.withConnection { connection in
            let applied = try MigrationLedger.applied(on: connection)
            let components = try ComponentRegistry.components(on: connection)
            let files = Dictionary(uniqueKeysWithValues: migrations.migrations.map { ($0.id.description, $0) })
            let appliedIDs = Set(applied.map(\.identifier))
            return MigrationStatus(
                dialect: connection.dialect,
                applied: applied.map { row in
                    let file = files[row.identifier].map { $0.checksum == row.checksum ? "ok" : "changed" } ?? "missing"
                    return MigrationStatus.Applied(row: row, file: file)
                },
                pending: migrations.migrations.filter { !appliedIDs.contains($0.id.description) }.map { migration in
                    MigrationStatus.Pending(
                        migration: migration,
                        blockedBy: VersionGate.blockers(
                            for: migration, components: components, heartbeatTimeout: settings.heartbeatTimeout))
                },
                components: components.map {
                    MigrationStatus.Component(record: $0, live: $0.isLive(timeout: settings.heartbeatTimeout))
                },
                heartbeatTimeout: settings.heartbeatTimeout, columnSyncs: try connection.installedColumnSyncs(),
                backfills: try BackfillCheckpoint.all(on: connection),
                partlyApplied: Dictionary(grouping: try MigrationProgress.all(on: connection), by: \.migration)
                    .filter { !appliedIDs.contains($0.key) }.sorted { $0.key < $1.key }
                    .map { migration, rows in
                        MigrationStatus.PartlyApplied(
                            migration: migration,
                            file: files[
                                migration.hasSuffix(MigrationProgress.undoSuffix)
                                    ? String(migration.dropLast(MigrationProgress.undoSuffix.count)) : migration
                            ].map { file in
                                rows.allSatisfy { $0.checksum == file.checksum } ? "ok" : "changed"
                            } ?? "missing",
                            operations: rows)
                    },
                leftovers: try Leftover.find(on: connection, migrations: migrations))
        }
    }
}

/// A synced column pair as the JSON contract writes it: `table`, `old`, `new`, `objects`, `problems`.
private struct ColumnSyncJSON: Encodable {
    let table: String?, old: String?, new: String?, objects: [String], problems: [String]

    init(_ installed: InstalledColumnSync) {
        table = installed.table
        old = installed.sync?.old
        new = installed.sync?.new
        objects = installed.objects
        problems = installed.problems
    }
}

/// A process as the JSON contract writes it.
private struct ComponentJSON: Encodable {
    let id: String, kind: String, host: String, pid: Int, versions: [String: String]
    let startedAt: Date, lastHeartbeat: Date, heartbeatAge: Double, live: Bool

    init(_ record: ComponentRecord, live: Bool) {
        id = record.id
        kind = record.kind
        host = record.host
        pid = record.pid
        versions = record.versions
        startedAt = record.startedAt
        lastHeartbeat = record.lastHeartbeat
        heartbeatAge = (record.heartbeatAge * 1000).rounded() / 1000
        self.live = live
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, host, pid, versions, live
        case startedAt = "started_at", lastHeartbeat = "last_heartbeat", heartbeatAge = "heartbeat_age_s"
    }
}

/// A blocker as the JSON contract writes it: the process, plus the requirements it fails.
private struct BlockerJSON: Encodable {
    let blocker: GateBlocker

    enum CodingKeys: String, CodingKey {
        case failures
    }

    func encode(to encoder: any Encoder) throws {
        try ComponentJSON(blocker.process, live: true).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blocker.failures, forKey: .failures)
    }
}
