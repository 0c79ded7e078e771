import TandemSchema

extension RollbackPlanner {
    /// The pending migrations an interrupted run left part-way (``MigrationProgress`` rows or a
    /// backfill checkpoint) that `--to` must undo too: the target component's numbered after
    /// the target, and those depending on a migration undone, newest first.
    func partlyApplied(undoing undone: Set<String>) -> [Migration] {
        let applied = Set(planner.applied.map(\.identifier))
        let started = Set(planner.progress.map(\.migration)).union(planner.resumePoints.keys)
        let candidates = planner.set.migrations.filter {
            !applied.contains($0.id.description) && started.contains($0.id.description)
        }
        var chosen = Set(
            candidates.filter { $0.id.component == target.id.component && $0.id.number > target.id.number }.map(\.id))
        var grew = true
        while grew {
            grew = false
            for migration in candidates where !chosen.contains(migration.id) {
                if migration.dependsOn.contains(where: { chosen.contains($0) || undone.contains($0.description) }) {
                    chosen.insert(migration.id)
                    grew = true
                }
            }
        }
        return candidates.filter { chosen.contains($0.id) }.reversed()
    }

    /// The file operations of partly applied `migration` that its interrupted run committed in
    /// whole, by index, found by planning the rest of it as a resuming run would, and the expand
    /// steps it started (say, stopped in their backfill); or the reason it cannot be undone: an
    /// other operation stopped part-way.
    func committedOperations(of migration: Migration) -> (indexes: [Int], problem: String?) {
        var live = planner.live
        let step: PlannedStep
        do {
            step = try Planner.render(
                migration, live: &live, dialect: planner.dialect,
                resuming: Planner.resumption(
                    backfillAt: planner.resumePoints[migration.id.description],
                    done: planner.progress.filter { $0.migration == migration.id.description }))
        } catch {
            return ([], "  \(migration.path) (\(migration.id)): its remaining operations cannot be planned: \(error)")
        }
        var indexes: [Int] = []
        for (index, located) in migration.operations.enumerated() {
            let parts = step.operations.filter { $0.line == located.line }
            let complete = parts.filter(\.isAlreadyApplied).count
            let started = complete + parts.filter { !$0.isAlreadyApplied && $0.skippedStatements > 0 }.count
            if !parts.isEmpty, complete == parts.count {
                indexes.append(index)
            } else if started > 0, case .expandColumn = located.operation {
                // Its inverse removes what any part of it made, whatever it got to (IF EXISTS).
                indexes.append(index)
            } else if started > 0 {
                return (
                    [],
                    "  \(migration.path):\(located.line): \(located.operation.summary) stopped part-way; "
                        + "finish it with `tandem migrate --to \(migration.id)`, then migrate back"
                )
            }
        }
        return (indexes, nil)
    }
}
