import TandemDatabase
import TandemSchema

/// What one `tandem migrate` run does, computed without changing anything: the steps in order,
/// each with its operations and their exact SQL for the connected dialect, the pending
/// migrations the run leaves for later, and the processes that block its breaking steps.
///
/// ``Migrator/plan(_:)`` builds it; ``Migrator/migrate(_:)`` builds the same plan under the
/// migration lock and then runs it, so what `--plan` prints is what runs.
public struct MigrationPlan: Sendable, Hashable {
    /// The connected database's dialect, which the SQL is written for.
    public let dialect: Dialect
    /// What the run does, in order.
    public let steps: [PlannedStep]
    /// Pending migrations in the run's scope that it does not apply, with why.
    public let held: [HeldMigration]
    /// For each breaking migration of the plan (a step, or held back without `--breaking`), the
    /// live processes that block it; a run refuses while any blocks one of its steps.
    public let blockers: [GateBlocker]
    /// The settings the SQL script states (lock and statement timeouts).
    public let settings: MigrationSettings

    /// Creates a plan; ``Migrator/plan(_:)`` builds these.
    public init(
        dialect: Dialect, steps: [PlannedStep], held: [HeldMigration], blockers: [GateBlocker],
        settings: MigrationSettings
    ) {
        self.dialect = dialect
        self.steps = steps
        self.held = held
        self.blockers = blockers
        self.settings = settings
    }

    /// Whether the run has nothing to do.
    public var isEmpty: Bool { steps.isEmpty }

    /// The blockers of the run's own steps: the run refuses while there are any.
    public var blockingSteps: [GateBlocker] {
        let stepIDs = Set(steps.map(\.migration.id))
        return blockers.filter { stepIDs.contains($0.migration) }
    }

    /// The SQL alone, as `--plan --format sql` prints it for other tools: each statement
    /// followed by `;` and a newline, with the transactions and timeouts the runner uses.
    ///
    /// On PostgreSQL the script starts with the session's short `lock_timeout`
    /// (``MigrationSettings/ddlLockTimeout``) and a `statement_timeout` of 0 for the statements
    /// that run apart from the migration's transaction (`CONCURRENTLY` builds, alone, and
    /// constraint validations, each in a transaction of its own: neither blocks writers, and both
    /// may take long on a big table); those two wait for their lock up to
    /// ``MigrationSettings/concurrentWait`` instead, set around them. Each migration transaction
    /// sets its own short `lock_timeout` and its `statement_timeout` with `SET LOCAL`, and, before
    /// a foreign-key change, locks the referenced table (parent before child, as writers do).
    /// The runner retries a transaction that hits its lock timeout; a script run by
    /// another tool fails there instead. A `-- component/NNNN_name` comment heads each
    /// migration. The ledger's bookkeeping statements are left out.
    public func sqlScript() -> String {
        var lines: [String] = []
        if dialect == .postgres {
            lines.append("SET lock_timeout = '\(settings.ddlLockTimeout.milliseconds)ms';")
            lines.append("SET statement_timeout = 0;")
        }
        for step in steps {
            lines.append(
                "-- \(step.migration.id) (\(step.direction == .apply ? step.migration.phase.rawValue : "undo"))")
            let foreignKeysOff = dialect == .sqlite && step.needsForeignKeysOff
            if foreignKeysOff { lines.append("PRAGMA foreign_keys = OFF;") }
            for group in step.groups {
                let inTransaction = group.transactional || group.ownTransaction
                if inTransaction { lines.append(dialect == .sqlite ? "BEGIN IMMEDIATE;" : "BEGIN;") }
                let patient = dialect == .postgres && group.blocksNoWriterWhileWaiting
                if patient && group.ownTransaction {
                    lines.append("SET LOCAL lock_timeout = '\(settings.concurrentWait.milliseconds)ms';")
                } else if patient {
                    lines.append("SET lock_timeout = '\(settings.concurrentWait.milliseconds)ms';")
                }
                if group.transactional && dialect == .postgres {
                    lines.append("SET LOCAL lock_timeout = '\(settings.ddlLockTimeout.milliseconds)ms';")
                    lines.append("SET LOCAL statement_timeout = '\(settings.statementTimeout.milliseconds)ms';")
                    lines += step.referencedTables(of: group, dialect: dialect).map {
                        "LOCK TABLE \(quoteIdentifier($0)) IN SHARE ROW EXCLUSIVE MODE;"
                    }
                }
                if let backfill = group.backfill {
                    lines.append(
                        "-- backfill in batches by primary key, each its own transaction: \(backfill.definition)")
                }
                lines += group.statements.map { $0.sql + ";" }
                if patient && !group.ownTransaction {
                    lines.append("SET lock_timeout = '\(settings.ddlLockTimeout.milliseconds)ms';")
                }
                if foreignKeysOff { lines.append("PRAGMA foreign_key_check;") }
                if inTransaction { lines.append("COMMIT;") }
            }
            if foreignKeysOff { lines.append("PRAGMA foreign_keys = ON;") }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}

/// One migration applied or undone by a run.
public struct PlannedStep: Sendable, Hashable {
    /// Whether the step applies the migration or undoes it (`migrate --to` backwards).
    public enum Direction: String, Sendable, Hashable, Codable {
        /// Applies the migration and records it in the ledger.
        case apply
        /// Runs the inverses of its operations, last first, and removes its ledger row.
        case undo
    }

    /// The migration.
    public let migration: Migration
    /// Apply or undo.
    public let direction: Direction
    /// The operations, in the order they run (for an undo, the inverses), with their SQL.
    public let operations: [PlannedOperation]

    /// Creates a step.
    public init(migration: Migration, direction: Direction, operations: [PlannedOperation]) {
        self.migration = migration
        self.direction = direction
        self.operations = operations
    }

    /// Every statement, in order.
    public var statements: [MigrationStatement] { operations.flatMap(\.statements) }

    /// Whether a statement is part of a SQLite table rebuild, which runs with foreign keys off
    /// (see ``MigrationStatement/needsForeignKeysOff``).
    var needsForeignKeysOff: Bool { statements.contains { $0.needsForeignKeysOff } }

    /// Whether the step runs a backfill, whose checkpoints its last transaction removes.
    var hasBackfill: Bool {
        operations.contains { if case .backfill = $0.operation { !$0.isAlreadyApplied } else { false } }
    }

    /// The statements as the runner groups them: consecutive transactional statements share one
    /// transaction; each non-transactional one runs alone; each backfill is a group of its own,
    /// run batch by batch.
    var groups: [StatementGroup] {
        var groups: [StatementGroup] = []
        for (index, operation) in operations.enumerated() {
            if case .backfill(let backfill) = operation.operation, !operation.isAlreadyApplied {
                groups.append(
                    StatementGroup(statements: [], operationIndexes: [index], transactional: false, backfill: backfill))
            }
            for statement in operation.statements {
                if statement.transactional, let last = groups.last, last.transactional {
                    groups[groups.count - 1].statements.append(statement)
                    groups[groups.count - 1].operationIndexes.append(index)
                } else {
                    groups.append(
                        StatementGroup(
                            statements: [statement], operationIndexes: [index], transactional: statement.transactional))
                }
            }
        }
        return groups
    }
}

/// Statements that run together: in one transaction, or one statement alone.
struct StatementGroup: Hashable {
    /// The statements.
    var statements: [MigrationStatement]
    /// For each statement, the index of its operation in the step.
    var operationIndexes: [Int]
    /// Whether they run in the migration's transaction.
    let transactional: Bool
    /// A backfill, run by a ``Backfiller`` in transactions of its own; the group then has no statements.
    var backfill: Backfill? = nil

    /// For a statement that runs apart from the migration's transaction, whether it still runs
    /// in a transaction of its own (a constraint validation), rather than in none (what
    /// PostgreSQL refuses in a transaction block: `CONCURRENTLY`, `VACUUM`). A one-statement
    /// transaction behaves as the statement alone would, and says so to tools like squawk.
    var ownTransaction: Bool {
        guard !transactional, let statement = statements.first else { return false }
        let words = statement.sql.uppercased().split { !($0.isLetter || $0 == "_") }
        return !words.contains("CONCURRENTLY") && words.first != "VACUUM"
    }

    /// For a statement that runs alone, whether it blocks no writer while it waits for its lock
    /// (a `CONCURRENTLY` build or drop, which also waits for older transactions; a constraint
    /// validation), so that it may wait up to ``MigrationSettings/concurrentWait``. A `VACUUM`
    /// in raw SQL may take an ACCESS EXCLUSIVE lock, and keeps the short wait.
    var blocksNoWriterWhileWaiting: Bool {
        guard !transactional, backfill == nil, let statement = statements.first else { return false }
        return ownTransaction
            || statement.sql.uppercased().split { !($0.isLetter || $0 == "_") }.contains("CONCURRENTLY")
    }
}

/// One operation of a step, with the statements it renders to.
public struct PlannedOperation: Sendable, Hashable {
    /// The operation (for an undo, one of the inverse operations).
    public let operation: Operation
    /// The line of the migration file the operation (or the operation it undoes) is written on.
    public let line: Int
    /// Its SQL for the connected dialect, in order.
    public let statements: [MigrationStatement]
    /// The modelled schema just before it, for undoing it should a later statement of the step fail.
    let schemaBefore: Schema
    /// Whether an earlier run applied it already: that run stopped in a later `backfill` of the
    /// same migration, whose checkpoint proves everything before it committed. It runs nothing.
    public let isAlreadyApplied: Bool
    /// How many of its first statements an earlier run committed (``MigrationProgress``): they are
    /// left out of ``statements``.
    public let skippedStatements: Int

    /// Creates a planned operation.
    init(
        operation: Operation, line: Int, statements: [MigrationStatement], schemaBefore: Schema,
        isAlreadyApplied: Bool = false, skippedStatements: Int = 0
    ) {
        self.operation = operation
        self.line = line
        self.statements = statements
        self.schemaBefore = schemaBefore
        self.isAlreadyApplied = isAlreadyApplied
        self.skippedStatements = skippedStatements
    }

    /// This operation resumed after an earlier run that committed part of it: without the
    /// statements that run committed.
    ///
    /// An operation rendered against the live schema may already leave out what the earlier run
    /// did (an index or constraint of its attempt is taken over instead of built again), so only
    /// the committed statements the rendering still holds are skipped: the recorded total less
    /// this rendering's count is what it left out by itself.
    func resuming(_ progress: OperationProgress) -> PlannedOperation {
        let leftOutByRendering = max(0, progress.statementsTotal - statements.count)
        let toSkip = progress.statementsDone - leftOutByRendering
        return toSkip > 0 ? skipping(toSkip) : self
    }

    /// This operation without its first `count` statements, which an earlier run committed.
    func skipping(_ count: Int) -> PlannedOperation {
        PlannedOperation(
            operation: operation, line: line, statements: Array(statements.dropFirst(count)),
            schemaBefore: schemaBefore, skippedStatements: count)
    }
}

/// A pending migration a run leaves for later, with why.
public struct HeldMigration: Sendable, Hashable {
    /// The migration.
    public let migration: Migration
    /// Why: breaking without `--breaking`, or waiting for another held migration.
    public let reason: String

    /// Creates a held migration.
    public init(migration: Migration, reason: String) {
        self.migration = migration
        self.reason = reason
    }
}
