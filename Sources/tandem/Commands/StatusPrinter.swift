import Foundation
import TandemDatabase
import TandemMigrations

/// The text form of `tandem status`.
enum StatusPrinter {
    static func text(_ status: MigrationStatus, database: String) -> String {
        var lines = ["database: \(database) (\(status.dialect))", ""]
        lines.append("applied: \(status.applied.count)")
        for entry in status.applied {
            let row = entry.row
            let note = entry.file == "ok" ? "" : "  FILE \(entry.file.uppercased())"
            lines.append(
                "  \(pad(row.identifier, 32)) \(pad(row.phase.rawValue, 10)) \(pad(row.release, 9)) "
                    + "\(TimestampFormat.string(from: row.appliedAt).prefix(19))  \(row.durationMilliseconds) ms  "
                    + "\(row.host) pid \(row.pid)\(note)")
        }
        lines.append("pending: \(status.pending.count)")
        for entry in status.pending {
            let migration = entry.migration
            var text =
                "  \(pad(migration.id.description, 32)) \(pad(migration.phase.rawValue, 10)) \(pad(migration.release.description, 9))"
            if !migration.requires.isEmpty {
                text +=
                    " requires "
                    + migration.requires.sorted { $0.key < $1.key }.map { "\($0.key) >= \($0.value)" }
                    .joined(separator: ", ")
            }
            lines.append(text)
        }
        let live = status.components.filter(\.live).count
        lines.append(
            "components: \(live) live, \(status.components.count - live) stale "
                + "(live: heartbeat younger than \(String(format: "%g", status.heartbeatTimeout.timeInterval))s)")
        for component in status.components {
            let record = component.record
            lines.append(
                "  \(pad(record.label, 32)) \(pad(record.versionList, 28)) heartbeat \(String(format: "%.1f", record.heartbeatAge))s ago  "
                    + (component.live ? "live" : "stale"))
        }
        lines.append("backfills in progress: \(status.backfills.count)")
        for backfill in status.backfills {
            let share = backfill.rowsTotal > 0 ? " (\(min(100, backfill.rowsDone * 100 / backfill.rowsTotal))%)" : ""
            lines.append(
                "  \(pad(backfill.job.description, 32)) \(backfill.table): \(backfill.rowsDone) of ~\(backfill.rowsTotal) rows\(share), "
                    + "\(backfill.batches) batches, "
                    + (backfill.isFinished ? "done" : "last key \(backfill.lastKey ?? "none")")
                    + ", updated \(TimestampFormat.string(from: backfill.updatedAt).prefix(19))")
        }
        lines.append("partly applied: \(status.partlyApplied.count)")
        for partial in status.partlyApplied {
            lines.append(
                "  \(partial.migration): the next `tandem migrate` resumes it"
                    + (partial.file == "ok" ? "" : "  FILE \(partial.file.uppercased()) since: refused until restored"))
            for row in partial.operations {
                lines.append(
                    "    #\(row.operation) \(row.summary): \(row.statementsDone) of \(row.statementsTotal) statement(s) committed by \(row.host):\(row.pid)"
                )
            }
        }
        let blocked = status.pending.filter { !$0.blockedBy.isEmpty }
        lines.append("blocked gates: \(blocked.count)")
        for entry in blocked {
            lines.append("  \(entry.migration.id) is blocked by:")
            lines += entry.blockedBy.map { "    - \($0)" }
        }
        lines.append("column syncs: \(status.columnSyncs.count)")
        for installed in status.columnSyncs {
            let pair =
                installed.sync.map { "\($0.table).\($0.old) ↔ \($0.new)" }
                ?? (installed.objects.joined(separator: ", "))
            lines.append(
                "  \(pair)"
                    + (installed.problems.isEmpty ? "" : "  PROBLEMS: " + installed.problems.joined(separator: "; ")))
        }
        if !status.leftovers.isEmpty {
            lines += ["leftovers: \(status.leftovers.count)"] + status.leftovers.map { "  " + $0.description }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
