import Foundation

/// One phase's figures: Tandem's throughput, the hand-written baseline's, and their cost ratio;
/// with the async path's throughput when the phase also ran through Tandem's async API, and in
/// async sessions. Throughputs come from each side's total time; ratios are medians over the
/// rounds (see ``SliceTimes/medianRatio(_:over:)``).
struct PhaseResult: Encodable {
    /// The phase name (`create`, `get`, …).
    let phase: String
    /// Operations per second through Tandem.
    let ormOpsPerSecond: Double
    /// Operations per second through hand-written driver calls.
    let rawOpsPerSecond: Double
    /// Operations per second through Tandem's async API.
    let asyncOpsPerSecond: Double
    /// Operations per second through the async API inside `Database.withSession`.
    let sessionOpsPerSecond: Double
    /// The highest cross-CPU round trip measured between the phase's rounds, in nanoseconds (see
    /// `CrossCPURoundTrip`): the async ratio rises with it.
    let crossCPURoundTrip: Double
    /// Tandem's time over the baseline's for the same work: 1.0 is parity, 1.5 is 50 % slower.
    let ratio: Double
    /// The async path's time over the synchronous path's for the same work.
    let asyncRatio: Double
    /// The session path's time over the synchronous path's for the same work.
    let sessionRatio: Double
    /// ``asyncRatio`` over the rounds after which the two CPUs shared a cache, and over those
    /// after which the host had put them apart (see ``SliceTimes/asyncRatioByPlacement``).
    let asyncRatioByPlacement: (sharingCache: PlacementRatio?, apart: PlacementRatio?)

    /// The figures of a phase of `operations` operations per side, timed in `times`.
    init(phase: String, operations: Double, times: SliceTimes) {
        self.phase = phase
        ormOpsPerSecond = operations / times.orm.reduce(0, +)
        rawOpsPerSecond = operations / times.raw.reduce(0, +)
        asyncOpsPerSecond = operations / times.async.reduce(0, +)
        sessionOpsPerSecond = operations / times.session.reduce(0, +)
        crossCPURoundTrip = times.roundTrips.max() ?? .nan
        ratio = SliceTimes.medianRatio(times.orm, over: times.raw)
        asyncRatio = SliceTimes.medianRatio(times.async, over: times.orm)
        sessionRatio = SliceTimes.medianRatio(times.session, over: times.orm)
        asyncRatioByPlacement = times.asyncRatioByPlacement
    }

    enum CodingKeys: String, CodingKey {
        case ormOpsPerSecond = "orm_ops_s", rawOpsPerSecond = "raw_ops_s", ratio
        case asyncOpsPerSecond = "async_ops_s", asyncRatio = "async_ratio"
        case sessionOpsPerSecond = "session_ops_s", sessionRatio = "session_ratio"
        case crossCPURoundTrip = "max_cross_cpu_round_trip_ns"
        case asyncRatioSharingCache = "async_ratio_cpus_sharing_cache", asyncRatioApart = "async_ratio_cpus_apart"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (value, key) in [
            (ormOpsPerSecond, CodingKeys.ormOpsPerSecond), (rawOpsPerSecond, .rawOpsPerSecond),
            (asyncOpsPerSecond, .asyncOpsPerSecond), (sessionOpsPerSecond, .sessionOpsPerSecond),
        ] {
            try container.encode((value * 10).rounded() / 10, forKey: key)
        }
        for (value, key) in [(ratio, CodingKeys.ratio), (asyncRatio, .asyncRatio), (sessionRatio, .sessionRatio)] {
            try container.encode((value * 1000).rounded() / 1000, forKey: key)
        }
        try container.encode(crossCPURoundTrip.rounded(), forKey: .crossCPURoundTrip)
        try container.encodeIfPresent(asyncRatioByPlacement.sharingCache, forKey: .asyncRatioSharingCache)
        try container.encodeIfPresent(asyncRatioByPlacement.apart, forKey: .asyncRatioApart)
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
        Swift.print(
            "phase      tandem ops/s     raw ops/s   ratio    async ops/s   async/sync  session ops/s   session/sync"
                + "  cross-CPU ns, max   (ratios: time over time, median of the rounds)")
        for result in results {
            Swift.print(
                result.phase.padding(toLength: 8, withPad: " ", startingAt: 0)
                    + format(result.ormOpsPerSecond, width: 15) + format(result.rawOpsPerSecond, width: 14)
                    + String(format: "   %.3f", result.ratio)
                    + format(result.asyncOpsPerSecond, width: 15) + String(format: "        %.3f", result.asyncRatio)
                    + format(result.sessionOpsPerSecond, width: 15)
                    + String(format: "          %.3f", result.sessionRatio)
                    + format(result.crossCPURoundTrip, width: 15))
        }
        Swift.print(
            String(
                format:
                    "async/sync by where the host put the two CPUs (cross-CPU round trip after the round under / over %.0f ns):",
                CrossCPURoundTrip.apart))
        for result in results {
            let (sharing, apart) = result.asyncRatioByPlacement
            Swift.print(
                "  " + result.phase.padding(toLength: 8, withPad: " ", startingAt: 0) + describe(sharing) + " / "
                    + describe(apart))
        }
    }

    private static func describe(_ split: PlacementRatio?) -> String {
        guard let split else { return "no round" }
        return String(format: "%.3f (%d rounds)", split.ratio, split.rounds)
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
