import Foundation
import TandemMigrations

/// The text `tandem migrate` prints: a plan, or what a run did.
enum MigratePlanPrinter {
    /// `--plan`: each step with its phase, operations and SQL; then held migrations and gates.
    static func text(_ plan: MigrationPlan) -> String {
        var lines: [String] = []
        lines.append(
            plan.isEmpty
                ? "Plan for \(plan.dialect): nothing to run."
                : "Plan for \(plan.dialect): \(plan.steps.count) migration(s), nothing changed yet.")
        for step in plan.steps {
            let migration = step.migration
            let verb = step.direction == .apply ? "apply" : "undo"
            lines.append("")
            lines.append(
                "\(verb) \(migration.id) (\(migration.phase.rawValue), release \(migration.release)) — \(migration.path)"
            )
            for operation in step.operations {
                lines.append("  \(operation.operation.summary)  (line \(operation.line))")
                if let reason = operation.unboundedWriterWait(on: plan.dialect) {
                    lines.append("    -- writers may wait longer than one lock attempt: \(reason)")
                }
                for statement in operation.statements {
                    let note = statement.transactional ? "" : "  -- alone, outside the transaction"
                    lines.append("    " + statement.sql.replacingOccurrences(of: "\n", with: "\n    ") + ";" + note)
                }
            }
        }
        if !plan.held.isEmpty {
            lines.append("")
            lines.append("Pending, not in this run:")
            lines += plan.held.map { "  \($0.migration.id) (\($0.migration.phase.rawValue)): \($0.reason)" }
        }
        let breaking = (plan.steps.map(\.migration) + plan.held.map(\.migration)).filter {
            $0.phase == .breaking && !$0.requires.isEmpty
        }
        if !breaking.isEmpty {
            lines.append("")
            lines.append("Gates:")
            for migration in breaking {
                let requires = migration.requires.sorted { $0.key < $1.key }.map { "\($0.key) >= \($0.value)" }
                let blockers = plan.blockers.filter { $0.migration == migration.id }
                lines.append(
                    "  \(migration.id) requires \(requires.joined(separator: ", ")): "
                        + (blockers.isEmpty
                            ? "no live process blocks it" : "blocked by \(blockers.count) live process(es)"))
                lines += blockers.map { "    - \($0)" }
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// One step done, with its lock attempts and waits:
    /// `applied core/0001_initial (compatible) in 0.2s; locks: 1 attempt, waited 0ms`.
    static func line(_ run: StepRun) -> String {
        let step = run.step
        let attempts = run.locks.attempts == 1 ? "1 attempt" : "\(run.locks.attempts) attempts"
        return
            "\(step.direction == .apply ? "applied" : "undid") \(step.migration.id) (\(step.migration.phase.rawValue))"
            + " in \(seconds(run.duration)); locks: \(attempts), waited \(seconds(run.locks.waited))"
    }

    /// `0.25s`.
    private static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        return String(format: "%.2fs", Double(components.seconds) + Double(components.attoseconds) / 1e18)
    }

    /// What a run did in all, and what it left pending.
    static func summary(_ report: MigrationReport) -> String {
        var lines: [String] = []
        switch (report.applied.count, report.undone.count) {
        case (0, 0): lines.append("Nothing to apply.")
        case (let applied, 0): lines.append("\(applied) migration(s) applied.")
        case (_, let undone): lines.append("\(undone) migration(s) undone.")
        }
        if report.pendingBreaking > 0 {
            lines.append(
                "\(report.pendingBreaking) breaking migration(s) pending: run `tandem migrate --breaking` once every process runs the new release."
            )
        }
        let waiting = report.held.filter { $0.migration.phase == .compatible }
        if !waiting.isEmpty {
            lines.append("\(waiting.count) compatible migration(s) wait for a breaking one.")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
