import Foundation
import Logging
import TandemDatabase
import TandemSchema

/// Runs planned steps on the runner's connection, one migration at a time.
///
/// A step's statements run in groups (``PlannedStep/groups``): consecutive transactional ones
/// in one transaction, each non-transactional one alone; the ledger row is written (or removed)
/// by the last transaction, so a migration counts as applied only once all of it is. On SQLite
/// every statement is transactional, so a step is one transaction. On PostgreSQL each
/// transaction sets `lock_timeout` (``MigrationSettings/ddlLockTimeout``) and
/// `statement_timeout`; on SQLite the busy timeout on the write lock is the same short wait. A
/// group that hits it is rolled back (or cleaned up) and tried again after a growing, jittered
/// pause for up to ``MigrationSettings/ddlRetryFor``, so a migration never queues long behind a
/// long transaction while blocking every writer. Statements that block no writer while they wait
/// (`CONCURRENTLY`, `VALIDATE CONSTRAINT`) wait up to ``MigrationSettings/concurrentWait``.
///
/// When a group fails for good, the work of the step's earlier, committed groups is undone
/// through the inverses of their operations (see ``MigrationFailure``).
///
/// A `backfill` runs between the groups through a ``Backfiller``, each batch its own
/// transaction. Once it has a checkpoint, what came before it stays applied whatever happens:
/// a backfill stopped or failed throws its own error (``BackfillInterrupted``,
/// ``BackfillError``), and the next run resumes it (see ``Planner/resumePoints``); a later
/// group that fails undoes only the groups after the backfill.
struct StepRunner {
    let connection: Connection
    let settings: MigrationSettings
    let logger: Logger
    var interruption: BackfillInterruption? = nil
    var backfillProgress: (@Sendable (BackfillProgress) -> Void)? = nil
    /// Where a second connection reports what a long, writer-friendly wait waits for
    /// (``reportingWaits(of:_:)``); nil: no report.
    var watchURL: DatabaseURL? = nil
    /// Checks the version gate of the step's migration again, throwing when a live process
    /// blocks it: called before each group with a breaking operation but the step's first (the
    /// run checked the gate just before it). Any earlier group can take hours (a backfill, an
    /// index built concurrently, a constraint validated), during which a process of an earlier
    /// release can start.
    var checkGate: (() throws -> Void)? = nil

    var dialect: Dialect { connection.dialect }

    /// Sets the session's timeouts: on PostgreSQL the short lock wait and no statement timeout
    /// for the statements that run alone, on SQLite the busy timeout of every step. Returns what
    /// resets them, to call before the connection goes back to its pool.
    func prepareSession() throws -> () -> Void {
        switch dialect {
        case .postgres:
            try connection.execute("SET lock_timeout = \(settings.ddlLockTimeout.milliseconds)")
            try connection.execute("SET statement_timeout = 0")
            // A killed runner's statement (a concurrent build, a validation) stops within a second
            // instead of running on as an orphan that holds the migration lock (PostgreSQL 14+, Linux).
            try connection.execute(
                "DO $$ BEGIN IF current_setting('server_version_num')::int >= 140000 THEN SET client_connection_check_interval = 1000; END IF; END $$"
            )
            return {
                _ = try? connection.execute("RESET lock_timeout")
                _ = try? connection.execute("RESET statement_timeout")
            }
        case .sqlite:
            let previous = try connection.query("PRAGMA busy_timeout")[0].decode(Int.self, at: 0)
            try connection.executeScript("PRAGMA busy_timeout = \(max(1, settings.ddlLockTimeout.milliseconds))")
            return { _ = try? connection.executeScript("PRAGMA busy_timeout = \(previous)") }
        }
    }

    /// Runs `step`, writing or removing its ledger row last, and returns its lock waits.
    ///
    /// - Throws: ``MigrationFailure`` when a statement fails for good.
    func run(_ step: PlannedStep) throws -> LockWaits {
        let clock = ContinuousClock()
        let start = clock.now
        var groups = step.groups
        if groups.last?.transactional != true {
            groups.append(StatementGroup(statements: [], operationIndexes: [], transactional: true))
        }
        let foreignKeysOff = dialect == .sqlite && step.needsForeignKeysOff
        if foreignKeysOff { try connection.executeScript("PRAGMA foreign_keys = OFF") }
        defer { if foreignKeysOff { _ = try? connection.executeScript("PRAGMA foreign_keys = ON") } }
        var waits = LockWaits()
        for (number, group) in groups.enumerated() {
            if number > 0, step.direction == .apply, interruption?.isRequested == true {
                throw MigrationInterrupted(
                    done: [], next: step.migration.id, within: step.operations[group.operationIndexes.first ?? 0].line)
            }
            if let backfill = group.backfill {
                try run(backfill, operation: group.operationIndexes[0], of: step, groups: groups, number: number)
                try recordProgress(of: step, groups: groups, through: number)
                continue
            }
            if let checkGate, number > 0,
                group.operationIndexes.contains(where: { step.operations[$0].operation.breakingReason != nil })
            {
                try checkGate()
            }
            var failedStatement = 0
            var cleaned = false
            if !group.transactional, !group.ownTransaction, let cleanup = group.statements[0].cleanupOnFailure {
                try recordStart(of: step, groups: groups, number: number, cleanup: cleanup)
            }
            do {
                try withRetries(step, waits: &waits) {
                    try run(
                        group, of: step, failedStatement: &failedStatement, checkForeignKeys: foreignKeysOff,
                        lockingFirst: step.referencedTables(of: group, dialect: dialect)
                    ) {
                        guard number == groups.count - 1 else {
                            if group.transactional { try recordProgress(of: step, groups: groups, through: number) }
                            return
                        }
                        switch step.direction {
                        case .apply:
                            try MigrationLedger.record(step.migration, duration: clock.now - start, on: connection)
                            try BackfillCheckpoint.clear(migration: step.migration.id.description, on: connection)
                            try MigrationProgress.clear(step.migration.id, on: connection)
                        case .undo:
                            try MigrationLedger.remove(step.migration.id, on: connection)
                            // A partly applied migration undone may have left a backfill checkpoint.
                            try BackfillCheckpoint.clear(migration: step.migration.id.description, on: connection)
                            try MigrationProgress.clear(step.migration.id, on: connection)
                        }
                    }
                }
                if !group.transactional { try recordProgress(of: step, groups: groups, through: number) }
            } catch {
                if group.ownTransaction, let cleanup = group.statements[0].cleanupOnFailure {
                    cleaned = clean(cleanup, patient: false)
                } else if !group.transactional, let cleanup = group.statements[0].cleanupOnFailure {
                    cleaned = true
                    forgetStart(of: step, groups: groups, number: number, cleanup: cleanup)
                }
                let failed =
                    group.operationIndexes.isEmpty ? step.operations.count - 1 : group.operationIndexes[failedStatement]
                throw MigrationFailure(
                    migration: step.migration.id, path: step.migration.path, direction: step.direction,
                    line: step.operations.indices.contains(failed) ? step.operations[failed].line : 0,
                    operation: step.operations.indices.contains(failed)
                        ? step.operations[failed].operation.summary : "ledger",
                    underlying: error,
                    leftApplied: compensate(
                        step, groups: groups, failedGroup: number, failedOperation: failed, cleaned: cleaned),
                    lockWaits: waits)
            }
        }
        return waits
    }

    /// Runs the backfill of operation `index`. One that fails before its first batch committed
    /// fails the step like any group (its checkpoint removed); after that, its own error leaves
    /// the step for the next run, which resumes it.
    private func run(
        _ backfill: Backfill, operation index: Int, of step: PlannedStep, groups: [StatementGroup], number: Int
    ) throws {
        let job = BackfillJob(step.migration.id, operation: index)
        do {
            try Backfiller(
                connection: connection, settings: settings.backfill, interruption: interruption, logger: logger,
                onProgress: backfillProgress
            ).run(backfill, job: job)
        } catch {
            let checkpoint = try? BackfillCheckpoint.load(job, on: connection)
            if let checkpoint, checkpoint.batches > 0 { throw error }
            if checkpoint != nil { try? BackfillCheckpoint.remove(job, on: connection) }
            throw MigrationFailure(
                migration: step.migration.id, path: step.migration.path, direction: step.direction,
                line: step.operations[index].line, operation: step.operations[index].operation.summary,
                underlying: error,
                leftApplied: compensate(
                    step, groups: groups, failedGroup: number, failedOperation: index, cleaned: false))
        }
    }

    /// Runs one group: in a transaction (locking `parents` first, and with `last` before the
    /// commit), or alone with its cleanup.
    private func run(
        _ group: StatementGroup, of step: PlannedStep, failedStatement: inout Int, checkForeignKeys: Bool,
        lockingFirst parents: [String], last: () throws -> Void
    ) throws {
        guard group.transactional else {
            let statement = group.statements[0]
            let patient = dialect == .postgres && group.blocksNoWriterWhileWaiting
            let invalidBefore = statement.cleanupOnFailure == nil ? try invalidIndexes() : nil
            do {
                if group.ownTransaction {
                    try connection.transaction {
                        if patient {
                            try connection.execute("SET LOCAL lock_timeout = \(settings.concurrentWait.milliseconds)")
                        }
                        _ = try reportingWaits(of: step) { try connection.execute(statement.sql) }
                    }
                } else if patient {
                    try connection.execute("SET lock_timeout = \(settings.concurrentWait.milliseconds)")
                    defer { _ = try? connection.execute("SET lock_timeout = \(settings.ddlLockTimeout.milliseconds)") }
                    _ = try reportingWaits(of: step) { try connection.execute(statement.sql) }
                } else {
                    try connection.execute(statement.sql)
                }
            } catch {
                // A concurrent build's INVALID index goes before a retry builds it again. A failed
                // validation's constraint stays for a retry; ``run(_:)`` drops it on final failure.
                if let cleanup = statement.cleanupOnFailure, !group.ownTransaction { clean(cleanup, patient: patient) }
                dropInvalidIndexes(leftBy: statement, before: invalidBefore)
                throw error
            }
            return
        }
        try connection.transaction {
            try setLocalTimeouts()
            try lockFirst(parents)
            for (index, statement) in group.statements.enumerated() {
                failedStatement = index
                try connection.execute(statement.sql)
            }
            if checkForeignKeys, let broken = try connection.query("PRAGMA foreign_key_check").first {
                throw DatabaseError(
                    kind: .statement, dialect: .sqlite, code: nil,
                    message: "a row of \((try? broken.decode(String.self, at: 0)) ?? "a table") breaks a foreign key",
                    statement: "PRAGMA foreign_key_check")
            }
            try last()
        }
    }

    /// Runs a failed statement's cleanup, logging (not throwing) its own failure: a concurrent
    /// drop (`patient`) waits up to ``MigrationSettings/concurrentWait``, since it too waits for
    /// older transactions; anything else (dropping an unvalidated constraint takes a strong lock)
    /// waits the short time per attempt, retried like a step for up to
    /// ``MigrationSettings/ddlRetryFor``.
    @discardableResult
    func clean(_ cleanup: String, patient: Bool) -> Bool {
        let clock = ContinuousClock()
        let first = clock.now
        var retry = 0
        while true {
            do {
                if patient && dialect == .postgres {
                    try connection.execute("SET lock_timeout = \(settings.concurrentWait.milliseconds)")
                }
                defer {
                    if patient && dialect == .postgres {
                        _ = try? connection.execute("SET lock_timeout = \(settings.ddlLockTimeout.milliseconds)")
                    }
                }
                try connection.execute(cleanup)
                return true
            } catch let error as DatabaseError
                where error.isLockContention && first.duration(to: clock.now) < settings.ddlRetryFor
                && interruption?.isRequested != true
            {
                retry += 1
                Thread.sleep(forTimeInterval: settings.delay(beforeRetry: retry).timeInterval)
            } catch {
                logger.error("cleanup failed", metadata: ["statement": "\(cleanup)", "error": "\(error)"])
                return false
            }
        }
    }

    /// In a PostgreSQL transaction of the step: the short lock wait and the statement timeout.
    func setLocalTimeouts() throws {
        guard dialect == .postgres else { return }
        try connection.execute("SET LOCAL lock_timeout = \(settings.ddlLockTimeout.milliseconds)")
        try connection.execute("SET LOCAL statement_timeout = \(settings.statementTimeout.milliseconds)")
    }

    /// Runs `body` again after each lock timeout or lost deadlock, pausing as ``MigrationSettings/delay(beforeRetry:)``
    /// says, until ``MigrationSettings/ddlRetryFor`` has passed since the first attempt or a stop
    /// is requested; counts the attempts and the time lost in `waits`, and names the sessions
    /// holding the step's tables when it gives up.
    func withRetries(_ step: PlannedStep, waits: inout LockWaits, _ body: () throws -> Void) throws {
        let clock = ContinuousClock()
        let first = clock.now
        var retry = 0
        while true {
            let attempt = clock.now
            do {
                return try body()
            } catch let error as DatabaseError where error.isLockContention {
                retry += 1
                waits.waited += attempt.duration(to: clock.now)
                let elapsed = first.duration(to: clock.now)
                // A stop request (Ctrl-C) ends the wait: nothing of the attempt stays.
                guard elapsed < settings.ddlRetryFor, interruption?.isRequested != true else {
                    waits.holders =
                        (try? LockHolder.holders(of: step.operations.compactMap(\.operation.table), on: connection))
                        ?? []
                    throw error
                }
                let pause = min(settings.delay(beforeRetry: retry), settings.ddlRetryFor - elapsed)
                waits.attempts += 1
                waits.waited += pause
                let cause =
                    error.isDeadlock
                    ? "lost a deadlock" : "lock timeout after \(MigrationLock.describe(settings.ddlLockTimeout))"
                logger.warning(
                    "\(step.migration.id): \(cause), attempt \(retry); retrying in \(MigrationLock.describe(pause)) (waited \(MigrationLock.describe(waits.waited)) so far, up to \(MigrationLock.describe(settings.ddlRetryFor)))",
                    metadata: ["statement": "\(error.statement ?? "")"])
                Thread.sleep(forTimeInterval: pause.timeInterval)
            }
        }
    }
}
