import Foundation
import TandemDatabase
import TandemSchema
import TandemTriggers

/// The phases of `tandem-bench triggers`, run on a plain table and on one with a column sync.
struct TriggersBenchmark {
    let connection: Connection
    let count: Int
    let rounds: Int
    let batch: Int

    static let plain = "bench_sync_plain"
    static let synced = "bench_sync_dual"
    static let sync = ColumnSync(table: synced, old: "old_value", new: "new_value")

    /// A phase: its name and the statement it runs once per value, given the table.
    private struct Phase {
        let name: String
        let sql: (String) -> String
        let values: (Int) -> [DatabaseValue]
    }

    func run() throws -> TriggersReport {
        try setUp()
        let p = connection.dialect.placeholder
        let phases = [
            Phase(
                name: "insert_old",
                sql: { "INSERT INTO \(quoteIdentifier($0)) (old_value, note) VALUES (\(p(1)), \(p(2)))" }
            ) {
                [.integer(Int64($0)), .text("row \($0)")]
            },
            Phase(
                name: "insert_new",
                sql: { "INSERT INTO \(quoteIdentifier($0)) (new_value, note) VALUES (\(p(1)), \(p(2)))" }
            ) {
                [.integer(Int64($0)), .text("row \($0)")]
            },
            Phase(
                name: "update_old", sql: { "UPDATE \(quoteIdentifier($0)) SET old_value = \(p(1)) WHERE id = \(p(2))" }
            ) {
                [.integer(Int64($0) * 7), .integer(Int64($0 % (2 * count) + 1))]
            },
            Phase(
                name: "update_new", sql: { "UPDATE \(quoteIdentifier($0)) SET new_value = \(p(1)) WHERE id = \(p(2))" }
            ) {
                [.integer(Int64($0) * 11), .integer(Int64($0 % (2 * count) + 1))]
            },
        ]
        var plainRates: [String: [Double]] = [:], syncedRates: [String: [Double]] = [:]
        for _ in 0..<rounds {
            for table in [Self.plain, Self.synced] {
                try connection.execute("DELETE FROM \(quoteIdentifier(table))")
                try resetIdentity(table)
            }
            for phase in phases {
                let (plain, synced) = try measureRates(phase)
                plainRates[phase.name, default: []].append(plain)
                syncedRates[phase.name, default: []].append(synced)
            }
            try checkInSync()
        }
        return TriggersReport(
            database: "\(connection.dialect) \(connection.serverVersion())", count: count, rounds: rounds, batch: batch,
            phases: phases.map { phase in
                TriggersPhase(
                    phase: phase.name, plainOpsPerSecond: median(plainRates[phase.name] ?? []),
                    syncedOpsPerSecond: median(syncedRates[phase.name] ?? []))
            })
    }

    private func setUp() throws {
        for table in [Self.plain, Self.synced] {
            try connection.execute(DDL(connection.dialect).dropTable(table, ifExists: true))
            let definition = Table(
                table,
                columns: [
                    .identity("id"), Column("old_value", .integer), Column("new_value", .integer),
                    Column("note", .text),
                ],
                primaryKey: ["id"])
            for statement in DDL(connection.dialect).createTable(definition) {
                try connection.execute(statement)
            }
        }
        try connection.installColumnSync(Self.sync)
    }

    /// Numbers rows from 1 again, so the update phases find the ids they update. SQLite's
    /// rowid restarts by itself once the table is empty.
    private func resetIdentity(_ table: String) throws {
        guard connection.dialect == .postgres else { return }
        try connection.execute("ALTER TABLE \(quoteIdentifier(table)) ALTER COLUMN id RESTART WITH 1")
    }

    /// Statements per second for one phase on the plain and on the synced table.
    ///
    /// The two tables take turns batch by batch, the first alternating, so that both sides run
    /// under the same load on a machine shared with other work.
    private func measureRates(_ phase: Phase) throws -> (plain: Double, synced: Double) {
        let operations = phase.name.hasPrefix("insert") ? count : 2 * count
        var plainSeconds = 0.0, syncedSeconds = 0.0
        var done = 0
        while done < operations {
            let range = done..<min(done + batch, operations)
            let order = (done / batch) % 2 == 0 ? [Self.plain, Self.synced] : [Self.synced, Self.plain]
            for table in order {
                let sql = phase.sql(table)
                let seconds = try measure {
                    try connection.transaction {
                        for index in range {
                            try connection.execute(sql, phase.values(index))
                        }
                    }
                }
                if table == Self.plain { plainSeconds += seconds } else { syncedSeconds += seconds }
            }
            done = range.upperBound
        }
        return (Double(operations) / plainSeconds, Double(operations) / syncedSeconds)
    }

    /// The benchmark is only worth its figures if the triggers did their work.
    private func checkInSync() throws {
        let differs = connection.dialect == .postgres ? "IS DISTINCT FROM" : "IS NOT"
        let differing = try connection.query(
            "SELECT count(*) FROM \(quoteIdentifier(Self.synced)) WHERE old_value \(differs) new_value")
        let count = try differing[0].decode(Int.self, at: 0)
        guard count == 0 else {
            throw RawBenchmarkError(description: "benchmark check failed: \(count) synced rows differ")
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
