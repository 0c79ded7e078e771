import TandemSchema

/// Plans `tandem migrate --to <component>/<NNNN>` backwards: undo the applied migrations newer
/// than the target, last applied first, each through its operations' inverses.
///
/// "Newer" means the target component's applied migrations numbered after it, and every applied
/// migration that depends on one of those, directly or not. Before anything is undone, each of
/// them must be undoable: compatible (a breaking migration destroyed what earlier code needs),
/// with its file present and unchanged, and every operation with an inverse (`sql` needs its
/// `down`). Otherwise the run is refused, naming each file and why, and nothing is undone.
///
/// An undo an earlier run stopped part-way (a failure, SIGKILL) is resumed: the operations its
/// ``MigrationProgress`` rows (`<migration> (undo)`) hold done are skipped.
///
/// A pending migration that an interrupted run left part-way, and that `--to` would undo were
/// it applied, is undone first: the operations that run committed in whole, through their
/// inverses. One with an operation stopped part-way is refused (finish it first).
struct RollbackPlanner {
    let planner: Planner
    let target: Migration

    func plan() throws -> MigrationPlan {
        let files = Dictionary(uniqueKeysWithValues: planner.set.migrations.map { ($0.id.description, $0) })
        let order = planner.applied.sorted { $0.sequence < $1.sequence }
        let undone = newer(order: order, files: files)
        var problems: [String] = []
        var refused: [String] = []
        for row in undone where files[row.identifier] == nil {
            refused.append(row.identifier)
            problems.append("  \(row.identifier): its file is gone, so its operations are unknown")
        }
        let partly = partlyApplied(undoing: Set(undone.map(\.identifier)))
        let migrations = partly + undone.compactMap { files[$0.identifier] }
        var before = schemasBeforeOperations(order: order.compactMap { files[$0.identifier] } + partly.reversed())
        var inverses: [MigrationID: [(Operation, Int)]] = [:]
        var committed: [MigrationID: Set<Int>] = [:]
        for migration in partly {
            let (indexes, problem) = committedOperations(of: migration)
            if let problem {
                refused.append(migration.id.description)
                problems.append(problem)
            }
            committed[migration.id] = Set(indexes)
        }
        for migration in migrations {
            guard migration.phase == .compatible else {
                refused.append(migration.id.description)
                let breaking = migration.operations.first { $0.operation.phase == .breaking }
                let example = breaking.map { ": \($0.operation.summary) at line \($0.line)" } ?? ""
                problems.append(
                    "  \(migration.path) (\(migration.id)): breaking migrations cannot be undone, they removed what earlier code needs\(example)"
                )
                continue
            }
            var undo: [(Operation, Int)] = []
            for (index, located) in migration.operations.enumerated().reversed()
            where committed[migration.id]?.contains(index) ?? true {
                let schema = before[migration.id]?[index] ?? Schema()
                guard let inverse = located.operation.inverse(schema: schema, live: planner.live.schema) else {
                    if refused.last != migration.id.description { refused.append(migration.id.description) }
                    problems.append(
                        "  \(migration.path):\(located.line): \(located.operation.summary) cannot be undone"
                            + Self.reason(located.operation))
                    continue
                }
                undo += inverse.map { ($0, located.line) }
            }
            inverses[migration.id] = undo
        }
        guard problems.isEmpty else {
            throw MigrationRefusal(
                .rollbackImpossible(refused),
                "cannot migrate back to \(target.id): nothing was undone, because\n" + problems.joined(separator: "\n"))
        }
        before.removeAll()
        var live = planner.live
        var steps: [PlannedStep] = []
        for migration in migrations {
            // What an earlier run of this undo committed before it stopped (``MigrationProgress``).
            let key = MigrationProgress.key(migration.id, .undo)
            var recorded = planner.progress.filter { $0.migration == key }.sorted { $0.operation < $1.operation }
            let operations = try (inverses[migration.id] ?? []).map { operation, line in
                let match = recorded.firstIndex { $0.summary == operation.summary }.map { recorded.remove(at: $0) }
                if match?.isComplete == true {
                    return PlannedOperation(
                        operation: operation, line: line, statements: [], schemaBefore: live.schema,
                        isAlreadyApplied: true)
                }
                let planned = try Planner.plannedOperation(
                    operation, line: line, of: migration, live: &live, dialect: planner.dialect)
                guard let match, match.statementsDone > 0 else { return planned }
                return planned.resuming(match)
            }
            steps.append(PlannedStep(migration: migration, direction: .undo, operations: operations))
        }
        return MigrationPlan(
            dialect: planner.dialect, steps: steps, held: [], blockers: [], settings: planner.settings)
    }

    /// The applied migrations to undo, last applied first.
    private func newer(order: [AppliedMigration], files: [String: Migration]) -> [AppliedMigration] {
        var undone: Set<String> = []
        for row in order where row.component == target.id.component && row.number > target.id.number {
            undone.insert(row.identifier)
        }
        var grew = true
        while grew {
            grew = false
            for row in order where !undone.contains(row.identifier) {
                let dependencies = files[row.identifier]?.dependsOn.map(\.description) ?? []
                if dependencies.contains(where: undone.contains) {
                    undone.insert(row.identifier)
                    grew = true
                }
            }
        }
        return order.filter { undone.contains($0.identifier) }.reversed()
    }

    /// For each applied migration, the modelled schema before each of its operations: the
    /// applied migrations replayed in apply order on an empty schema. Operations the model
    /// cannot follow (on tables Tandem did not create) are skipped; an inverse that then lacks
    /// what it needs is nil, and the run is refused.
    private func schemasBeforeOperations(order: [Migration]) -> [MigrationID: [Schema]] {
        var live = LiveSchema()
        var result: [MigrationID: [Schema]] = [:]
        for migration in order {
            result[migration.id] = migration.operations.map { located in
                let before = live.schema
                if let after = try? located.operation.applying(to: live) { live = after }
                return before
            }
        }
        return result
    }

    private static func reason(_ operation: Operation) -> String {
        switch operation {
        case .sql(_, nil, _): ": raw sql without 'down'"
        case .sql: ""
        default: ": the schema it changed is not known to Tandem's migrations"
        }
    }
}
