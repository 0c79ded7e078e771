import TandemDatabase

/// The seconds that each side's slices of one phase took, in the order of the rounds: a round
/// runs one slice of every side, so the slices of one round ran under the same load.
struct SliceTimes {
    /// The ways a phase runs: Tandem's synchronous API, the hand-written baseline, Tandem's async
    /// API call by call, and the async API in sessions.
    enum Side {
        case orm, raw, async, session
    }

    private(set) var orm: [Double] = [], raw: [Double] = [], async: [Double] = [], session: [Double] = []
    /// How many of the next slices only warm up: they run, and their times are not kept.
    var warmUpSlices = 0
    /// The cross-CPU round trip (see ``CrossCPURoundTrip``) after each timed round, in
    /// nanoseconds: it shows which rounds ran while the host kept the two CPUs apart.
    private(set) var roundTrips: [Double] = []

    /// Runs `body` as the next slice of `side` and keeps its time, unless it warms up.
    mutating func measure(_ side: Side, _ body: () throws -> Void) rethrows {
        if warmUpSlices > 0 {
            warmUpSlices -= 1
            try body()
            return
        }
        let seconds = try ContinuousClock().measure(body).timeInterval
        switch side {
        case .orm: orm.append(seconds)
        case .raw: raw.append(seconds)
        case .async: async.append(seconds)
        case .session: session.append(seconds)
        }
    }

    /// Ends a round: measures the cross-CPU round trip if the round was timed.
    mutating func endRound() {
        if orm.count > roundTrips.count { roundTrips.append(CrossCPURoundTrip.measure(samples: 1)) }
    }

    /// ``medianRatio(_:over:)`` of the async side over the synchronous one, apart for the rounds
    /// after which the cross-CPU round trip showed the two CPUs sharing a cache and for those
    /// after which it showed them apart (see ``CrossCPURoundTrip/apart``): nil where no round was.
    var asyncRatioByPlacement: (sharingCache: PlacementRatio?, apart: PlacementRatio?) {
        let rounds = roundTrips.indices.filter { $0 < async.count && $0 < orm.count }
        func ratio(_ chosen: [Int]) -> PlacementRatio? {
            guard !chosen.isEmpty else { return nil }
            return PlacementRatio(
                rounds: chosen.count,
                ratio: Self.medianRatio(chosen.map { async[$0] }, over: chosen.map { orm[$0] }))
        }
        return (
            ratio(rounds.filter { roundTrips[$0] < CrossCPURoundTrip.apart }),
            ratio(rounds.filter { roundTrips[$0] >= CrossCPURoundTrip.apart })
        )
    }

    /// The median, over the rounds, of a slice's time on one side over the same round's slice
    /// on another: a stall of the shared machine during a few slices leaves it where it was,
    /// where a ratio of total times takes the whole stall into one side.
    static func medianRatio(_ slices: [Double], over baseline: [Double]) -> Double {
        let ratios = zip(slices, baseline).map { $0 / $1 }.sorted()
        precondition(!ratios.isEmpty, "a phase ran no rounds")
        let middle = ratios.count / 2
        return ratios.count % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2
    }
}

/// A median ratio over some of a phase's rounds, and how many.
struct PlacementRatio: Encodable {
    /// How many rounds.
    let rounds: Int
    /// The median of their ratios.
    let ratio: Double

    /// The ratio to three decimals, as the other ratios.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rounds, forKey: .rounds)
        try container.encode((ratio * 1000).rounded() / 1000, forKey: .ratio)
    }

    private enum CodingKeys: String, CodingKey {
        case rounds, ratio
    }
}
