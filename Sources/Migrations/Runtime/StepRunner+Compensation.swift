import TandemDatabase

extension StepRunner {
    /// Undoes the operations that earlier groups of the failed step committed after its last
    /// finished backfill, last first, and returns what stays applied: the operations up to that
    /// backfill stay, so that the next run resumes after it.
    func compensate(
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
        } else if let earlier = step.operations.last(where: { $0.isAlreadyApplied || $0.skippedStatements > 0 }) {
            left.append(
                "the operations up to \(earlier.operation.summary) (line \(earlier.line)), applied by an earlier run: kept"
            )
        }
        // Undoing stops at the first operation that cannot be undone: those before it stay
        // too, so that what stays is a prefix of the step the next run resumes after.
        var stuck = false
        for (index, planned) in step.operations.enumerated().reversed() {
            guard let done = committed[index] else { continue }
            let label = "\(planned.operation.summary) (line \(planned.line))"
            if stuck {
                left.append(label + ": kept, so the next run resumes after it")
                continue
            }
            guard done == planned.statements.count else {
                if index == failedOperation && cleaned {
                    forgetProgress(of: step, operation: index)
                } else {
                    left.append(label + ", partly")
                    stuck = true
                }
                continue
            }
            do {
                guard let inverse = planned.operation.inverse(schema: planned.schemaBefore) else {
                    left.append(label + ": it has no inverse")
                    stuck = true
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
                forgetProgress(of: step, operation: index)
            } catch {
                left.append(label + ": undoing it failed: \(error)")
                stuck = true
            }
        }
        return left
    }
}
