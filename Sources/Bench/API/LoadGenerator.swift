import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TandemDatabase

/// One kind of request the benchmark sends, built afresh for each send (a create needs a new
/// name), with the status a correct answer has.
struct LoadRequest: Sendable {
    /// The endpoint's name in the report.
    let name: String
    /// The status every answer must have.
    let expected: HTTPResponseStatus
    /// Builds the `n`th request to `base` (`http://127.0.0.1:PORT`).
    let make: @Sendable (_ base: String, _ n: Int) -> HTTPClientRequest
}

/// What one side answered for one endpoint.
struct LoadResult: Sendable {
    /// Requests answered as expected.
    var requests = 0
    /// The seconds the load ran.
    var seconds = 0.0
    /// Each request's latency, in seconds.
    var latencies: [Double] = []

    /// Answered requests per second.
    var perSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }

    /// The latency at `fraction` (0.5: the median), in milliseconds.
    func percentile(_ fraction: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] * 1000
    }

    /// Adds another slice's figures.
    mutating func add(_ other: LoadResult) {
        requests += other.requests
        seconds += other.seconds
        latencies += other.latencies
    }
}

/// Sends requests over keep-alive connections from `concurrency` loops until a deadline.
struct LoadGenerator: Sendable {
    let client: HTTPClient
    let concurrency: Int
    /// Numbers requests across every run, so that no two creates share a name.
    private let counter = Counter()

    init(client: HTTPClient, concurrency: Int) {
        self.client = client
        self.concurrency = concurrency
    }

    /// Runs `request` against `base` for `duration`; throws at the first unexpected answer.
    func run(_ request: LoadRequest, against base: String, for duration: Duration) async throws -> LoadResult {
        let counter = counter
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        let client = client
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    while clock.now < deadline {
                        let n = counter.next()
                        let sent = clock.now
                        let response = try await client.execute(request.make(base, n), timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 16 << 20)
                        guard response.status == request.expected else {
                            throw BenchmarkError(
                                "\(request.name): \(base) answered \(response.status.code), expected \(request.expected.code)"
                            )
                        }
                        latencies.append((clock.now - sent).timeInterval)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        return LoadResult(requests: latencies.count, seconds: (clock.now - start).timeInterval, latencies: latencies)
    }
}

/// Numbers the requests of all loops, so that each create has a name of its own.
private final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// The next number, from 0.
    func next() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
