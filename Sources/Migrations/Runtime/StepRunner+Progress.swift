import TandemDatabase

extension StepRunner {
    /// Records in ``MigrationProgress`` how far the operations of group `number` of `step` got: each one's statements committed through that group, those an earlier run
    /// committed included. Inside a group's transaction it commits with the group.
    func recordProgress(of step: PlannedStep, groups: [StatementGroup], through number: Int) throws {
        var done: [Int: Int] = [:]
        for group in groups[...number] {
            for index in group.operationIndexes { done[index, default: 0] += 1 }
        }
        for index in Set(groups[number].operationIndexes).sorted() {
            let planned = step.operations[index]
            try MigrationProgress.record(
                step.migration, step.direction, operation: index, summary: planned.operation.summary,
                done: planned.skippedStatements + (done[index] ?? 0),
                total: planned.skippedStatements + planned.statements.count, on: connection)
        }
    }

    /// Removes the progress row of operation `index` of `step`, which was undone; a
    /// failure to do so is logged, and leaves a row the next run would resume after.
    func forgetProgress(of step: PlannedStep, operation index: Int) {
        do {
            try MigrationProgress.remove(
                MigrationProgress.key(step.migration.id, step.direction), operation: index, on: connection)
        } catch {
            logger.error(
                "could not update \(MigrationProgress.tableName)",
                metadata: ["migration": "\(step.migration.id)", "error": "\(error)"])
        }
    }
}

extension StepRunner {
    /// Before group `number` of `step`, a `CONCURRENTLY` build, records what removes
    /// its leftovers (its `cleanup`), so that a run that dies in it is cleaned up by the next one.
    ///
    /// An index build whose index exists already is not recorded: the build fails on the name
    /// (or, `IF NOT EXISTS`, does nothing), and the next run must not take that index as its own.
    func recordStart(of step: PlannedStep, groups: [StatementGroup], number: Int, cleanup: String) throws {
        guard let index = groups[number].operationIndexes.first else { return }
        if let build = IndexBuildCleanup(cleanup: cleanup), try build.isValid(on: connection) != nil { return }
        let planned = step.operations[index]
        let before = groups[..<number].reduce(0) { count, group in
            count + group.operationIndexes.filter { $0 == index }.count
        }
        try MigrationProgress.record(
            step.migration, step.direction, operation: index, summary: planned.operation.summary,
            done: planned.skippedStatements + before, total: planned.skippedStatements + planned.statements.count,
            cleanup: cleanup, on: connection)
    }

    /// After group `number` of `step`, a `CONCURRENTLY` build, failed and its cleanup ran: when
    /// the build left no index, its start record (``recordStart(of:groups:number:cleanup:)``)
    /// goes, so the operation shows only what committed. A failure to check is logged; the
    /// record then stays, and the next run cleans up again.
    func forgetStart(of step: PlannedStep, groups: [StatementGroup], number: Int, cleanup: String) {
        guard let index = groups[number].operationIndexes.first, let build = IndexBuildCleanup(cleanup: cleanup) else {
            return
        }
        do {
            guard try build.isValid(on: connection) == nil else { return }
            let key = MigrationProgress.key(step.migration.id, step.direction)
            guard
                let row = try MigrationProgress.all(on: connection).first(where: {
                    $0.migration == key && $0.operation == index
                })
            else { return }
            try MigrationProgress.cleaned(row, on: connection)
        } catch {
            logger.error(
                "could not update \(MigrationProgress.tableName)",
                metadata: ["migration": "\(step.migration.id)", "error": "\(error)"])
        }
    }

    /// Runs the cleanups that runs which died in a concurrent build left in ``MigrationProgress``
    /// (under the migration lock, so no other runner is in one), before anything is planned: the
    /// plan is made against the schema without the build's leftovers.
    func cleanUpAfterDeadRuns() throws {
        for row in try MigrationProgress.all(on: connection) {
            guard let cleanup = row.cleanup else { continue }
            if let build = IndexBuildCleanup(cleanup: cleanup), try build.isValid(on: connection) == true {
                logger.warning(
                    "\(row.migration): a run stopped right after building index \(build.index) on \(build.table), before recording it; taking the build as done"
                )
                try MigrationProgress.built(row, on: connection)
                continue
            }
            logger.warning(
                "\(row.migration): a run stopped during \(row.summary); removing what it left",
                metadata: ["statement": "\(cleanup)"])
            if clean(cleanup, patient: true) { try MigrationProgress.cleaned(row, on: connection) }
        }
    }
}
