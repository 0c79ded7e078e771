import TandemDatabase
import TandemSchema

/// Works out a run's plan from what is known, without touching a database: the migration
/// files, the ledger, the live schema and the registered processes.
struct Planner {
    let set: MigrationSet
    let applied: [AppliedMigration]
    let live: LiveSchema
    let components: [ComponentRecord]
    let request: MigrationRequest
    let settings: MigrationSettings
    let dialect: Dialect
    /// For a pending migration whose run stopped in a backfill, the index of that operation
    /// (``BackfillCheckpoint/resumePoints(on:)``): the operations before it are applied.
    var resumePoints: [String: Int] = [:]
    /// The operations of pending migrations that earlier runs committed (``MigrationProgress``).
    var progress: [OperationProgress] = []

    /// The plan; see ``Migrator/plan(_:)``.
    ///
    /// - Throws: ``MigrationRefusal`` for a changed applied file or a migration `--to` cannot
    ///   undo; ``MigrationRequestError`` for a target or component that does not exist;
    ///   ``MigrationFileErrors`` for an operation that does not fit the schema.
    func plan() throws -> MigrationPlan {
        try Self.verifyChecksums(set: set, applied: applied)
        if let target = request.target {
            guard let migration = set.migrations.first(where: { target.matches($0.id) }) else {
                throw MigrationRequestError("--to \(target): there is no such migration")
            }
            if applied.contains(where: { $0.identifier == migration.id.description }) {
                return try RollbackPlanner(planner: self, target: migration).plan()
            }
        }
        return try forwardPlan()
    }

    /// The pending migrations a forward run applies, in order, and those it holds back; no
    /// rendering, so a run with nothing to do costs only the ledger query.
    func forwardSelection() throws -> (chosen: [Migration], held: [HeldMigration]) {
        try Self.verifyChecksums(set: set, applied: applied)
        if let component = request.component, !set.components.contains(component) {
            throw MigrationRequestError("--component \(component): there are no migrations of component \(component)")
        }
        let appliedIDs = Set(applied.map(\.identifier))
        let pending = set.migrations.filter { !appliedIDs.contains($0.id.description) }
        let scope = scope(of: pending)
        var held: [HeldMigration] = []
        var heldIDs: Set<MigrationID> = []
        var chosen: [Migration] = []
        for migration in pending where scope.contains(migration.id) {
            if migration.phase == .breaking && !request.breaking {
                held.append(
                    HeldMigration(
                        migration: migration,
                        reason:
                            "breaking: applied by `tandem migrate --breaking` once every process runs the new release"))
                heldIDs.insert(migration.id)
            } else if let waiting = migration.dependsOn.first(where: heldIDs.contains) {
                held.append(HeldMigration(migration: migration, reason: "depends on \(waiting), which is held"))
                heldIDs.insert(migration.id)
            } else {
                chosen.append(migration)
            }
        }
        return (chosen, held)
    }

    private func forwardPlan() throws -> MigrationPlan {
        let (chosen, held) = try forwardSelection()
        try MigrationProgress.verifyChecksums(set: set, progress: progress)
        let rows = Dictionary(grouping: progress, by: \.migration)
        var live = self.live
        var steps: [PlannedStep] = []
        for migration in chosen {
            steps.append(
                try Self.render(
                    migration, live: &live, dialect: dialect,
                    resuming: Self.resumption(
                        backfillAt: resumePoints[migration.id.description], done: rows[migration.id.description])))
        }
        let breaking = (chosen + held.map(\.migration)).filter { $0.phase == .breaking }
        let blockers = breaking.flatMap {
            VersionGate.blockers(for: $0, components: components, heartbeatTimeout: settings.heartbeatTimeout)
        }
        return MigrationPlan(dialect: dialect, steps: steps, held: held, blockers: blockers, settings: settings)
    }

    /// The pending migrations a run may touch: all, or those of `--component` / the `--to`
    /// target together with the pending migrations they depend on.
    private func scope(of pending: [Migration]) -> Set<MigrationID> {
        let roots: [Migration]
        if let target = request.target {
            roots = pending.filter { target.matches($0.id) }
        } else if let component = request.component {
            roots = pending.filter { $0.id.component == component }
        } else {
            return Set(pending.map(\.id))
        }
        let byID = Dictionary(uniqueKeysWithValues: pending.map { ($0.id, $0) })
        var scope: Set<MigrationID> = []
        var stack = roots.map(\.id)
        while let id = stack.popLast() {
            guard scope.insert(id).inserted, let migration = byID[id] else { continue }
            stack += migration.dependsOn.filter { byID[$0] != nil }
        }
        return scope
    }

    /// What an earlier run of a pending migration left: nil when it left nothing.
    static func resumption(backfillAt: Int?, done: [OperationProgress]?) -> Resumption? {
        guard backfillAt != nil || !(done ?? []).isEmpty else { return nil }
        return Resumption(backfillAt: backfillAt ?? 0, done: done ?? [])
    }

    /// Renders every operation of `migration` against `live`, carrying `live` forward. When
    /// `resuming` what an earlier run left, the operations before its backfill checkpoint and
    /// those its progress record holds complete are marked applied and render nothing, and one
    /// it holds in part leaves out the statements that committed. A column change
    /// (`rename_column`, `complete_rename`, …) is planned as its primitive operations
    /// (``Operation/primitives(in:resuming:)``), each with the file line of the change; recorded
    /// operations are matched to them by summary, since a contract step's primitives are worked
    /// out from the live schema and leave out what is already done.
    static func render(
        _ migration: Migration, live: inout LiveSchema, dialect: Dialect, resuming: Resumption? = nil
    ) throws -> PlannedStep {
        var operations: [PlannedOperation] = []
        var recorded = resuming?.done.sorted { $0.operation < $1.operation } ?? []
        for located in migration.operations {
            let parts: [Operation]
            do {
                parts = try located.operation.primitives(in: live, resuming: resuming != nil).map {
                    $0.installed(by: migration.id)
                }
            } catch {
                throw MigrationFileErrors([
                    MigrationFileError(path: migration.path, line: located.line, message: error.message)
                ])
            }
            for part in parts {
                let match = recorded.firstIndex { $0.summary == part.summary }.map { recorded.remove(at: $0) }
                if operations.count < resuming?.backfillAt ?? 0 || match?.isComplete == true {
                    operations.append(
                        PlannedOperation(
                            operation: part, line: located.line, statements: [], schemaBefore: live.schema,
                            isAlreadyApplied: true))
                    continue
                }
                var planned = try plannedOperation(
                    part, line: located.line, of: migration, live: &live, dialect: dialect)
                if let match, match.statementsDone > 0 { planned = planned.resuming(match) }
                operations.append(planned)
            }
        }
        return PlannedStep(migration: migration, direction: .apply, operations: operations)
    }

    /// Renders `step`'s operations again against `live`, as the runner does after a step that ran
    /// raw SQL, whose effect on the schema only the database knows.
    static func rerender(_ step: PlannedStep, live: inout LiveSchema, dialect: Dialect) throws -> PlannedStep {
        let operations = try step.operations.map { planned in
            guard !planned.isAlreadyApplied else { return planned }
            let fresh = try plannedOperation(
                planned.operation, line: planned.line, of: step.migration, live: &live, dialect: dialect)
            return planned.skippedStatements > 0 ? fresh.skipping(planned.skippedStatements) : fresh
        }
        return PlannedStep(migration: step.migration, direction: step.direction, operations: operations)
    }

    /// One operation's statements against `live`, and `live` after it; an operation that does
    /// not fit is a file error naming the migration's file and the operation's line.
    static func plannedOperation(
        _ operation: Operation, line: Int, of migration: Migration, live: inout LiveSchema, dialect: Dialect
    ) throws -> PlannedOperation {
        do {
            let statements = try operation.statements(for: dialect, schema: live)
            let before = live.schema
            live = try operation.applying(to: live)
            return PlannedOperation(operation: operation, line: line, statements: statements, schemaBefore: before)
        } catch {
            throw MigrationFileErrors([MigrationFileError(path: migration.path, line: line, message: error.message)])
        }
    }

    /// Refuses when an applied migration's file changed since it was applied, naming each one.
    static func verifyChecksums(set: MigrationSet, applied: [AppliedMigration]) throws {
        let files = Dictionary(uniqueKeysWithValues: set.migrations.map { ($0.id.description, $0) })
        let changed = applied.compactMap { row -> Migration? in
            guard let migration = files[row.identifier], migration.checksum != row.checksum else { return nil }
            return migration
        }
        let recorded = Dictionary(applied.map { ($0.identifier, $0.checksum) }, uniquingKeysWith: { first, _ in first })
        let lines = changed.map { migration in
            "  \(migration.path) (\(migration.id)): checksum \(migration.checksum.prefix(12))…, "
                + "the ledger recorded \(recorded[migration.id.description]?.prefix(12) ?? "")… when it was applied"
        }
        guard changed.isEmpty else {
            throw MigrationRefusal(
                .changedFiles(changed.map(\.id)),
                "applied migration file(s) changed since they were applied:\n" + lines.joined(separator: "\n")
                    + "\nAn applied migration must not change: restore the file and add a new migration instead.")
        }
    }
}

/// A `--to` or `--component` that names nothing: bad input, exit code 2.
public struct MigrationRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the flag.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
