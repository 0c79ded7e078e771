import Foundation

/// One phase's figures: Tandem's throughput, the hand-written baseline's, and their cost ratio;
/// with the async path's throughput when the phase also ran through Tandem's async API, and in
/// async sessions.
struct PhaseResult: Encodable {
    /// The phase name (`create`, `get`, …).
    let phase: String
    /// Operations per second through Tandem.
    let ormOpsPerSecond: Double
    /// Operations per second through hand-written driver calls.
    let rawOpsPerSecond: Double
    /// Operations per second through Tandem's async API, when measured.
    var asyncOpsPerSecond: Double? = nil
    /// Operations per second through the async API inside `Database.withSession`, when measured.
    var sessionOpsPerSecond: Double? = nil
    /// The cross-CPU round trip right after the phase, in nanoseconds, when measured (see
    /// `CrossCPURoundTrip`): the async ratio rises with it.
    var crossCPURoundTrip: Double? = nil

    /// Tandem's time over the baseline's for the same work: 1.0 is parity, 1.5 is 50 % slower.
    var ratio: Double { rawOpsPerSecond / ormOpsPerSecond }

    /// The async path's time over the synchronous path's for the same work.
    var asyncRatio: Double? { asyncOpsPerSecond.map { ormOpsPerSecond / $0 } }

    /// The session path's time over the synchronous path's for the same work.
    var sessionRatio: Double? { sessionOpsPerSecond.map { ormOpsPerSecond / $0 } }

    enum CodingKeys: String, CodingKey {
        case ormOpsPerSecond = "orm_ops_s", rawOpsPerSecond = "raw_ops_s", ratio
        case asyncOpsPerSecond = "async_ops_s", asyncRatio = "async_ratio"
        case sessionOpsPerSecond = "session_ops_s", sessionRatio = "session_ratio"
        case crossCPURoundTrip = "cross_cpu_round_trip_ns"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode((ormOpsPerSecond * 10).rounded() / 10, forKey: .ormOpsPerSecond)
        try container.encode((rawOpsPerSecond * 10).rounded() / 10, forKey: .rawOpsPerSecond)
        try container.encode((ratio * 1000).rounded() / 1000, forKey: .ratio)
        try container.encodeIfPresent(asyncOpsPerSecond.map { ($0 * 10).rounded() / 10 }, forKey: .asyncOpsPerSecond)
        try container.encodeIfPresent(asyncRatio.map { ($0 * 1000).rounded() / 1000 }, forKey: .asyncRatio)
        try container.encodeIfPresent(
            sessionOpsPerSecond.map { ($0 * 10).rounded() / 10 }, forKey: .sessionOpsPerSecond)
        try container.encodeIfPresent(sessionRatio.map { ($0 * 1000).rounded() / 1000 }, forKey: .sessionRatio)
        try container.encodeIfPresent(crossCPURoundTrip?.rounded(), forKey: .crossCPURoundTrip)
    }
}

/// Prints results as a table, or as one JSON object keyed by phase.
enum ResultPrinter {
    static func print(_ results: [PhaseResult], json: Bool, header: String) throws {
        if json {
            let object = Dictionary(uniqueKeysWithValues: results.map { ($0.phase, $0) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Swift.print(String(decoding: try encoder.encode(object), as: UTF8.self))
            return
        }
        Swift.print(header)
        let withAsync = results.contains { $0.asyncOpsPerSecond != nil }
        let withSession = results.contains { $0.sessionOpsPerSecond != nil }
        let withRoundTrip = results.contains { $0.crossCPURoundTrip != nil }
        Swift.print(
            "phase      tandem ops/s     raw ops/s   ratio"
                + (withAsync ? "    async ops/s   async/sync" : "")
                + (withSession ? "  session ops/s   session/sync" : "") + (withRoundTrip ? "   cross-CPU ns" : "")
                + "   (ratios: time over time)")
        for result in results {
            var line =
                result.phase.padding(toLength: 8, withPad: " ", startingAt: 0)
                + format(result.ormOpsPerSecond, width: 15) + format(result.rawOpsPerSecond, width: 14)
                + String(format: "   %.3f", result.ratio)
            if let asyncOps = result.asyncOpsPerSecond, let asyncRatio = result.asyncRatio {
                line += format(asyncOps, width: 15) + String(format: "        %.3f", asyncRatio)
            }
            if let sessionOps = result.sessionOpsPerSecond, let sessionRatio = result.sessionRatio {
                line += format(sessionOps, width: 15) + String(format: "          %.3f", sessionRatio)
            }
            if let roundTrip = result.crossCPURoundTrip { line += format(roundTrip, width: 15) }
            Swift.print(line)
        }
    }

    private static func format(_ value: Double, width: Int) -> String {
        let text = String(format: "%.0f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Times a closure with the monotonic clock and returns seconds.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return elapsed.timeInterval
}
