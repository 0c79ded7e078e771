extension Lint {
    /// An expand step sharing a column with an earlier one of the same table that no contract
    /// step has completed yet (`a → b`, then `b → c`): the two sets of triggers would write the
    /// shared column each their own way, so the chain is refused; complete the first change
    /// before starting the next.
    static func chainedColumnChanges(_ set: MigrationSet) -> [LintFinding] {
        var pending: [ColumnChange] = []
        var findings: [LintFinding] = []
        for migration in set.migrations {
            for located in migration.operations {
                switch located.operation {
                case .completeColumn(let change):
                    pending.removeAll { $0.pairs(with: change) }
                case .expandColumn(let change):
                    if let earlier = pending.first(where: {
                        $0.table == change.table && !Set([$0.old, $0.new]).isDisjoint(with: [change.old, change.new])
                    }) {
                        findings.append(
                            LintFinding(
                                .error, path: migration.path, line: located.line,
                                message:
                                    "\(located.operation.summary) shares a column with \(earlier.expandName) \(earlier.table).\(earlier.old) → \(earlier.new), "
                                    + "which is not completed before it: complete that change first (chained changes are refused)"
                            ))
                    }
                    pending.append(change)
                default:
                    break
                }
            }
        }
        return findings
    }
}
