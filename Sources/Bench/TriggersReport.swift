import Foundation

/// One phase of `tandem-bench triggers`: throughput without and with the triggers.
struct TriggersPhase: Encodable {
    /// `insert_old`, `insert_new`, `update_old` or `update_new`.
    let phase: String
    /// Statements per second on the plain table.
    let plainOpsPerSecond: Double
    /// Statements per second on the table with the column sync.
    let syncedOpsPerSecond: Double

    /// The synced table's throughput over the plain table's: 1.0 is parity; the target is 0.8 or more.
    var ratio: Double { syncedOpsPerSecond / plainOpsPerSecond }

    enum CodingKeys: String, CodingKey {
        case plainOpsPerSecond = "plain_ops_s", syncedOpsPerSecond = "synced_ops_s", ratio
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode((plainOpsPerSecond * 10).rounded() / 10, forKey: .plainOpsPerSecond)
        try container.encode((syncedOpsPerSecond * 10).rounded() / 10, forKey: .syncedOpsPerSecond)
        try container.encode((ratio * 1000).rounded() / 1000, forKey: .ratio)
    }
}

/// The whole run of `tandem-bench triggers`, printed as a table or as one JSON object.
struct TriggersReport: Encodable {
    /// The dialect and server version.
    let database: String
    /// Rows inserted and updated per phase and round.
    let count: Int
    /// Rounds run; each figure is a median over them.
    let rounds: Int
    /// Statements per transaction.
    let batch: Int
    /// The phases, in run order.
    let phases: [TriggersPhase]

    /// The throughput ratio `tandem-bench triggers` aims at.
    static let target = 0.8

    enum CodingKeys: String, CodingKey {
        case database, count, rounds, batch, phases, target, meetsTarget = "meets_target"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(database, forKey: .database)
        try container.encode(count, forKey: .count)
        try container.encode(rounds, forKey: .rounds)
        try container.encode(batch, forKey: .batch)
        try container.encode(Dictionary(uniqueKeysWithValues: phases.map { ($0.phase, $0) }), forKey: .phases)
        try container.encode(Self.target, forKey: .target)
        try container.encode(phases.allSatisfy { $0.ratio >= Self.target }, forKey: .meetsTarget)
    }

    /// The report as an aligned table.
    var text: String {
        var lines = [
            "tandem-bench triggers: \(database), N = \(count), \(rounds) round(s), \(batch) statements per transaction",
            "phase        plain ops/s   synced ops/s   ratio (synced / plain, target >= \(Self.target))",
        ]
        for phase in phases {
            lines.append(
                phase.phase.padding(toLength: 10, withPad: " ", startingAt: 0) + pad(phase.plainOpsPerSecond, 14)
                    + pad(phase.syncedOpsPerSecond, 15) + String(format: "   %.3f", phase.ratio))
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ value: Double, _ width: Int) -> String {
        let text = String(format: "%.0f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
