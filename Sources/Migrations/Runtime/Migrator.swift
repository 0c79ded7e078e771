import Foundation
import Logging
import TandemDatabase
import TandemSchema

/// Applies migration files to a database: the engine behind `tandem migrate` and `tandem status`.
///
/// ```swift
/// let (set, _) = try Lint.load(directory: "migrations")
/// let migrator = Migrator(database: database, migrations: set)
/// let report = try migrator.migrate()                      // compatible migrations
/// // … roll the processes over to the new release …
/// try migrator.migrate(MigrationRequest(breaking: true))   // breaking ones, gated
/// ```
///
/// Whoever calls it, the migrator enforces lint's rules first: a set with an error finding
/// (a breaking operation in a compatible file, a `complete_*` step without its expand step, …)
/// is refused with ``MigrationFileErrors`` before the database is touched, however the set was
/// loaded. A run then reads the ledger; with nothing to do it stops there. Otherwise it takes the
/// migration lock (``MigrationSettings/lockTimeout``), creates Tandem's tables (the ledger and
/// `tandem_components`), reads the ledger again, refuses a changed applied file, plans, checks
/// the version gates of breaking steps (waiting up to ``MigrationSettings/gateWait``) and runs
/// the steps one migration at a time, each in its own transaction where the database allows
/// (see ``MigrationFailure`` for the rest). It checks the gate again, still under the lock,
/// immediately before each breaking step: a process of the old release may have started while
/// earlier steps ran.
///
/// ## Topics
/// - ``MigrationRequest``
/// - ``MigrationSettings``
/// - ``MigrationPlan``
/// - ``MigrationReport``
/// - ``MigrationStatus``
public struct Migrator: Sendable {
    /// The database migrated.
    public let database: Database
    /// The migration files, loaded and checked.
    public let migrations: MigrationSet
    /// Timeouts, retries and the gate's heartbeat timeout.
    public var settings: MigrationSettings
    /// Where progress is logged.
    public var logger: Logger
    /// A stop request (Ctrl-C): a running backfill stops after its current batch
    /// (``BackfillInterrupted``), and the run stops before its next step (``MigrationInterrupted``).
    public var interruption: BackfillInterruption?
    /// Called after each batch of a backfill (``BackfillProgressDisplay/report(_:)`` shows it).
    public var backfillProgress: (@Sendable (BackfillProgress) -> Void)?

    /// Creates a migrator.
    public init(
        database: Database, migrations: MigrationSet, settings: MigrationSettings = MigrationSettings(),
        logger: Logger = Logger(label: "tandem.migrate")
    ) {
        self.database = database
        self.migrations = migrations
        self.settings = settings
        self.logger = logger
    }

    /// What ``migrate(_:)`` would do now, changing nothing (no lock, no ledger table).
    ///
    /// - Throws: ``MigrationRefusal`` (a changed applied file, a migration `--to` cannot undo),
    ///   ``MigrationRequestError``, ``MigrationFileErrors``, or a database error.
    public func plan(_ request: MigrationRequest = MigrationRequest()) throws -> MigrationPlan {
        try enforceLint()
        return try database.withConnection { connection in try planner(request, on: connection).plan() }
    }

    /// Applies (or, with a `--to` that is applied, undoes) migrations as `request` asks, calling
    /// `didRun` after each step is committed (the CLI prints progress and lock waits with it).
    ///
    /// - Throws: ``MigrationRefusal`` (exit code 3: the lock, a gate, a changed applied file, a
    ///   migration that cannot be undone), ``MigrationFailure`` (exit code 1), and the errors of
    ///   ``plan(_:)``.
    @discardableResult
    public func migrate(
        _ request: MigrationRequest = MigrationRequest(), didRun: (StepRun) -> Void = { _ in }
    ) throws -> MigrationReport {
        try enforceLint()
        return try database.withConnection { connection in
            if request.target == nil {
                let (chosen, held) = try planner(request, on: connection, live: LiveSchema()).forwardSelection()
                if chosen.isEmpty { return MigrationReport(runs: [], held: held) }
            }
            return try MigrationLock.withLock(on: connection, url: database.url, timeout: settings.lockTimeout) {
                try createTandemTables(on: connection)
                let runner = StepRunner(
                    connection: connection, settings: settings, logger: logger, interruption: interruption,
                    backfillProgress: backfillProgress, watchURL: database.url)
                let resetSession = try runner.prepareSession()
                defer { resetSession() }
                try runner.cleanUpAfterDeadRuns()
                let plan = try gatedPlan(request, on: connection)
                let clock = ContinuousClock()
                var live: LiveSchema? = nil
                var done: [StepRun] = []
                for planned in plan.steps {
                    if interruption?.isRequested == true {
                        throw MigrationInterrupted(done: done.map(\.step.migration.id), next: planned.migration.id)
                    }
                    var step = planned
                    if var fresh = live {
                        step = try Planner.rerender(planned, live: &fresh, dialect: connection.dialect)
                        live = fresh
                    }
                    if step.direction == .apply, step.migration.phase == .breaking {
                        try waitForGate(of: [step.migration], on: connection, applied: done.map(\.step.migration.id))
                    }
                    logger.info("\(step.direction == .apply ? "applying" : "undoing") \(step.migration.id)")
                    let start = clock.now
                    let locks: LockWaits
                    var stepRunner = runner
                    if step.direction == .apply, step.migration.phase == .breaking {
                        let (migration, applied) = (step.migration, done.map(\.step.migration.id))
                        stepRunner.checkGate = {
                            try waitForGate(of: [migration], on: connection, applied: applied)
                        }
                    }
                    do {
                        locks = try stepRunner.run(step)
                    } catch let stopped as MigrationInterrupted {
                        throw MigrationInterrupted(
                            done: done.map(\.step.migration.id), next: stopped.next, within: stopped.within)
                    }
                    let run = StepRun(step: step, locks: locks, duration: start.duration(to: clock.now))
                    done.append(run)
                    didRun(run)
                    if live == nil,
                        step.operations.contains(where: { if case .sql = $0.operation { true } else { false } })
                    {
                        live = try connection.introspectLiveSchema()
                    }
                }
                return MigrationReport(runs: done, held: plan.held)
            }
        }
    }

    /// Creates the ledger, `tandem_components` and `tandem_migration_progress` when missing. Tables that exist are not
    /// created again: on SQLite even `CREATE TABLE IF NOT EXISTS` waits for the write lock, with
    /// the connection's long busy timeout, behind any writer.
    private func createTandemTables(on connection: Connection) throws {
        let existing = Set(try connection.tableNames())
        if !existing.contains(MigrationLedger.tableName) { try MigrationLedger.createTable(on: connection) }
        if !existing.contains(ComponentRegistry.tableName) { try ComponentRegistry.createTable(on: connection) }
        if !existing.contains(MigrationProgress.tableName) { try MigrationProgress.createTable(on: connection) }
    }

    /// Refuses a set with an error finding of ``Lint/check(_:)``: the rules hold for every
    /// caller, not only for sets loaded through ``Lint/load(directory:)``.
    private func enforceLint() throws(MigrationFileErrors) {
        let errors = Lint.check(migrations).filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw MigrationFileErrors(
                errors.map { MigrationFileError(path: $0.path, line: $0.line, message: $0.message) })
        }
    }

    /// Returns once no live process blocks `migrations`, reading `tandem_components` again
    /// every ``MigrationSettings/gatePollInterval`` for up to ``MigrationSettings/gateWait``.
    ///
    /// - Throws: the gate's ``MigrationRefusal`` naming the blocking processes, and the
    ///   migrations the run `applied` before it, which stay.
    private func waitForGate(of migrations: [Migration], on connection: Connection, applied: [MigrationID] = [])
        throws
    {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.gateWait)
        func blockers() throws -> [GateBlocker] {
            let components = try ComponentRegistry.components(on: connection)
            return migrations.flatMap {
                VersionGate.blockers(for: $0, components: components, heartbeatTimeout: settings.heartbeatTimeout)
            }
        }
        var blocking = try blockers()
        while !blocking.isEmpty, clock.now < deadline {
            logger.info("waiting for \(blocking.count) blocking process(es) to upgrade, stop or go stale")
            Thread.sleep(forTimeInterval: min(settings.gatePollInterval, clock.now.duration(to: deadline)).timeInterval)
            blocking = try blockers()
        }
        guard blocking.isEmpty else { throw GateRefusal.refusal(blocking, applied: applied, settings: settings) }
    }

    /// The plan, once no live process blocks its breaking steps (or needs a migration it
    /// undoes), waiting up to ``MigrationSettings/gateWait`` for that.
    private func gatedPlan(_ request: MigrationRequest, on connection: Connection) throws -> MigrationPlan {
        let plan = try planner(request, on: connection).plan()
        let breaking = plan.steps.filter { $0.direction == .apply && $0.migration.phase == .breaking }
        try waitForGate(of: breaking.map(\.migration), on: connection)
        try waitForRollbackGate(of: plan.steps.filter { $0.direction == .undo }.map(\.migration), on: connection)
        return plan
    }

    /// Returns once no live process runs a release that ships one of `migrations` (which the
    /// run would undo), reading `tandem_components` again every
    /// ``MigrationSettings/gatePollInterval`` for up to ``MigrationSettings/gateWait``.
    ///
    /// - Throws: a ``MigrationRefusal`` naming those processes; nothing was undone.
    private func waitForRollbackGate(of migrations: [Migration], on connection: Connection) throws {
        guard !migrations.isEmpty else { return }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.gateWait)
        func blockers() throws -> [RollbackBlocker] {
            let components = try ComponentRegistry.components(on: connection)
            return migrations.flatMap {
                RollbackGate.blockers(for: $0, components: components, heartbeatTimeout: settings.heartbeatTimeout)
            }
        }
        var blocking = try blockers()
        while !blocking.isEmpty, clock.now < deadline {
            logger.info(
                "waiting for \(blocking.count) process(es) that need the migrations to undo to stop or go stale")
            Thread.sleep(forTimeInterval: min(settings.gatePollInterval, clock.now.duration(to: deadline)).timeInterval)
            blocking = try blockers()
        }
        guard !blocking.isEmpty else { return }
        var lines: [String] = []
        for (migration, group) in Dictionary(grouping: blocking, by: \.migration).sorted(by: { $0.key < $1.key }) {
            lines.append("\(migration) is needed by \(group.count) live process(es) running a release that ships it:")
            lines += group.map { "  - \($0)" }
        }
        lines.append(
            "Nothing was undone. Roll those processes back to an older release or stop them, or wait for them with "
                + "--wait-for-gate SECONDS; a process stops counting once its last heartbeat is "
                + "\(MigrationLock.describe(settings.heartbeatTimeout)) old (--heartbeat-timeout).")
        throw MigrationRefusal(.rollbackInUse(blocking), lines.joined(separator: "\n"))
    }

    /// A planner fed from the database: the ledger, the live schema (unless given) and the
    /// registered processes.
    private func planner(_ request: MigrationRequest, on connection: Connection, live: LiveSchema? = nil) throws
        -> Planner
    {
        let applied = try MigrationLedger.applied(on: connection)
        let needsDatabase = live == nil
        return Planner(
            set: migrations, applied: applied, live: try live ?? connection.introspectLiveSchema(),
            components: needsDatabase ? try ComponentRegistry.components(on: connection) : [], request: request,
            settings: settings, dialect: connection.dialect,
            resumePoints: needsDatabase ? try BackfillCheckpoint.resumePoints(on: connection) : [:],
            progress: needsDatabase ? try MigrationProgress.all(on: connection) : [])
    }
}

/// What a run did.
public struct MigrationReport: Sendable {
    /// The steps run, in order, each with its lock attempts and waits.
    public let runs: [StepRun]
    /// Pending migrations in the run's scope that it left, with why (breaking ones without
    /// `--breaking`, and those waiting for them).
    public let held: [HeldMigration]

    /// Creates a report.
    public init(runs: [StepRun], held: [HeldMigration]) {
        self.runs = runs
        self.held = held
    }

    /// The steps run, in order.
    public var steps: [PlannedStep] { runs.map(\.step) }

    /// The migrations applied, in order.
    public var applied: [MigrationID] { steps.filter { $0.direction == .apply }.map(\.migration.id) }
    /// The migrations undone, in order.
    public var undone: [MigrationID] { steps.filter { $0.direction == .undo }.map(\.migration.id) }
    /// How many breaking migrations are still pending.
    public var pendingBreaking: Int { held.filter { $0.migration.phase == .breaking }.count }
}

/// The refusal of a version gate.
enum GateRefusal {
    /// A refusal naming each blocking process and the requirement it fails, by migration, and
    /// what the run applied before the gate stopped it.
    static func refusal(_ blockers: [GateBlocker], applied: [MigrationID], settings: MigrationSettings)
        -> MigrationRefusal
    {
        var lines: [String] = []
        for (migration, group) in Dictionary(grouping: blockers, by: \.migration).sorted(by: { $0.key < $1.key }) {
            lines.append("breaking migration \(migration) is blocked by \(group.count) live process(es):")
            lines += group.map { "  - \($0)" }
        }
        lines.append(
            (applied.isEmpty
                ? "Nothing was applied. "
                : "Applied before the gate: \(applied.map(\.description).joined(separator: ", ")); they stay. The blocked migration and those after it were not applied. ")
                + "Upgrade or stop those processes, or wait for them with --wait-for-gate SECONDS; "
                + "a process stops counting once its last heartbeat is \(MigrationLock.describe(settings.heartbeatTimeout)) old (--heartbeat-timeout)."
        )
        return MigrationRefusal(.gate(blockers), lines.joined(separator: "\n"))
    }
}
