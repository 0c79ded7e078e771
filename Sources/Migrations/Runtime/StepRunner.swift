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

    private var dialect: Dialect { connection.dialect }

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
            if let backfill = group.backfill {
                try run(backfill, operation: group.operationIndexes[0], of: step, groups: groups, number: number)
                continue
            }
            var failedStatement = 0
            do {
                try withRetries(step, waits: &waits) {
                    try run(group, failedStatement: &failedStatement, checkForeignKeys: foreignKeysOff) {
                        guard number == groups.count - 1 else { return }
                        switch step.direction {
                        case .apply:
                            try MigrationLedger.record(step.migration, duration: clock.now - start, on: connection)
                            if step.hasBackfill {
                                try BackfillCheckpoint.clear(migration: step.migration.id.description, on: connection)
                            }
                        case .undo: try MigrationLedger.remove(step.migration.id, on: connection)
                        }
                    }
                }
            } catch {
                if group.ownTransaction, let cleanup = group.statements[0].cleanupOnFailure {
                    clean(cleanup, patient: false)
                }
                let failed =
                    group.operationIndexes.isEmpty ? step.operations.count - 1 : group.operationIndexes[failedStatement]
                let cleaned = !group.transactional && group.statements[0].cleanupOnFailure != nil
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

    /// Runs one group: in a transaction (with `last` before the commit), or alone with its cleanup.
    private func run(
        _ group: StatementGroup, failedStatement: inout Int, checkForeignKeys: Bool, last: () throws -> Void
    ) throws {
        guard group.transactional else {
            let statement = group.statements[0]
            let patient = dialect == .postgres && group.blocksNoWriterWhileWaiting
            do {
                if group.ownTransaction {
                    try connection.transaction {
                        if patient {
                            try connection.execute("SET LOCAL lock_timeout = \(settings.concurrentWait.milliseconds)")
                        }
                        try connection.execute(statement.sql)
                    }
                } else if patient {
                    try connection.execute("SET lock_timeout = \(settings.concurrentWait.milliseconds)")
                    defer { _ = try? connection.execute("SET lock_timeout = \(settings.ddlLockTimeout.milliseconds)") }
                    try connection.execute(statement.sql)
                } else {
                    try connection.execute(statement.sql)
                }
            } catch {
                // A concurrent build's INVALID index goes before a retry builds it again. A failed
                // validation's constraint stays for a retry; ``run(_:)`` drops it on final failure.
                if let cleanup = statement.cleanupOnFailure, !group.ownTransaction { clean(cleanup, patient: patient) }
                throw error
            }
            return
        }
        try connection.transaction {
            try setLocalTimeouts()
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
    private func clean(_ cleanup: String, patient: Bool) {
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
                return
            } catch let error as DatabaseError
                where error.isLockTimeout && first.duration(to: clock.now) < settings.ddlRetryFor
                && interruption?.isRequested != true
            {
                retry += 1
                Thread.sleep(forTimeInterval: settings.delay(beforeRetry: retry).timeInterval)
            } catch {
                logger.error("cleanup failed", metadata: ["statement": "\(cleanup)", "error": "\(error)"])
                return
            }
        }
    }

    /// In a PostgreSQL transaction of the step: the short lock wait and the statement timeout.
    private func setLocalTimeouts() throws {
        guard dialect == .postgres else { return }
        try connection.execute("SET LOCAL lock_timeout = \(settings.ddlLockTimeout.milliseconds)")
        try connection.execute("SET LOCAL statement_timeout = \(settings.statementTimeout.milliseconds)")
    }

    /// Runs `body` again after each lock timeout, pausing as ``MigrationSettings/delay(beforeRetry:)``
    /// says, until ``MigrationSettings/ddlRetryFor`` has passed since the first attempt or a stop
    /// is requested; counts the attempts and the time lost in `waits`.
    private func withRetries(_ step: PlannedStep, waits: inout LockWaits, _ body: () throws -> Void) throws {
        let clock = ContinuousClock()
        let first = clock.now
        var retry = 0
        while true {
            let attempt = clock.now
            do {
                return try body()
            } catch let error as DatabaseError where error.isLockTimeout {
                retry += 1
                waits.waited += attempt.duration(to: clock.now)
                let elapsed = first.duration(to: clock.now)
                // A stop request (Ctrl-C) ends the wait: nothing of the attempt stays.
                guard elapsed < settings.ddlRetryFor, interruption?.isRequested != true else { throw error }
                let pause = min(settings.delay(beforeRetry: retry), settings.ddlRetryFor - elapsed)
                waits.attempts += 1
                waits.waited += pause
                logger.warning(
                    "\(step.migration.id): lock timeout after \(MigrationLock.describe(settings.ddlLockTimeout)), attempt \(retry); retrying in \(MigrationLock.describe(pause)) (waited \(MigrationLock.describe(waits.waited)) so far, up to \(MigrationLock.describe(settings.ddlRetryFor)))",
                    metadata: ["statement": "\(error.statement ?? "")"])
                Thread.sleep(forTimeInterval: pause.timeInterval)
            }
        }
    }

    /// Undoes the operations that earlier groups of the failed step committed after its last
    /// finished backfill, last first, and returns what stays applied: the operations up to that
    /// backfill stay, so that the next run resumes after it.
    private func compensate(
        _ step: PlannedStep, groups: [StatementGroup], failedGroup: Int, failedOperation: Int, cleaned: Bool
    ) -> [String] {
        let first = groups[..<failedGroup].lastIndex { $0.backfill != nil }.map { $0 + 1 } ?? 0
        var committed: [Int: Int] = [:]
        for group in groups[first..<failedGroup] {
            for index in group.operationIndexes { committed[index, default: 0] += 1 }
        }
        var left: [String] = []
        if first > 0 {
            let kept = step.operations[groups[first - 1].operationIndexes[0]]
            left.append(
                "the operations up to \(kept.operation.summary) (line \(kept.line)): kept, so the next run resumes after that backfill"
            )
        }
        for (index, planned) in step.operations.enumerated().reversed() {
            guard let done = committed[index] else { continue }
            let label = "\(planned.operation.summary) (line \(planned.line))"
            guard done == planned.statements.count else {
                if !(index == failedOperation && cleaned) { left.append(label + ", partly") }
                continue
            }
            do {
                guard let inverse = planned.operation.inverse(schema: planned.schemaBefore) else {
                    left.append(label + ": it has no inverse")
                    continue
                }
                var live = try connection.introspectLiveSchema()
                for operation in inverse {
                    let statements = try operation.statements(for: dialect, schema: live)
                    live = try operation.applying(to: live)
                    for statement in statements {
                        var waits = LockWaits()
                        try withRetries(step, waits: &waits) {
                            if statement.transactional {
                                try connection.transaction {
                                    try setLocalTimeouts()
                                    try connection.execute(statement.sql)
                                }
                            } else {
                                try connection.execute(statement.sql)
                            }
                        }
                    }
                }
            } catch {
                left.append(label + ": undoing it failed: \(error)")
            }
        }
        return left
    }
}
