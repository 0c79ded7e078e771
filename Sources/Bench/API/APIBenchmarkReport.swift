import Foundation

/// Prints `tandem-bench api`'s figures.
enum APIBenchmarkReport {
    /// One row per endpoint: req/s, p50 and p99 of each side, and the ratio.
    static func table(_ results: [APIEndpointResult], header: String) -> String {
        var lines = [
            header,
            pad("endpoint", 18) + pad("tandem req/s", 14) + pad("p50 ms", 9) + pad("p99 ms", 9) + pad("bare req/s", 12)
                + pad("p50 ms", 9) + pad("p99 ms", 9) + "tandem/bare",
        ]
        for result in results {
            lines.append(
                pad(result.endpoint, 18) + pad(number(result.tandem.perSecond, 1), 14)
                    + pad(number(result.tandem.percentile(0.5), 2), 9)
                    + pad(number(result.tandem.percentile(0.99), 2), 9)
                    + pad(number(result.bare.perSecond, 1), 12) + pad(number(result.bare.percentile(0.5), 2), 9)
                    + pad(number(result.bare.percentile(0.99), 2), 9) + number(result.ratio, 2))
        }
        return lines.joined(separator: "\n")
    }

    /// `{"header": ..., "endpoints": {name: {tandem: {...}, bare: {...}, ratio}}}`.
    static func json(_ results: [APIEndpointResult], header: String) -> String {
        func side(_ result: LoadResult) -> [String: Any] {
            [
                "requests": result.requests, "per_second": result.perSecond, "p50_ms": result.percentile(0.5),
                "p99_ms": result.percentile(0.99),
            ]
        }
        var endpoints: [String: Any] = [:]
        for result in results {
            endpoints[result.endpoint] = [
                "tandem": side(result.tandem), "bare": side(result.bare), "ratio": result.ratio,
            ]
        }
        let object: [String: Any] = ["header": header, "endpoints": endpoints]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func number(_ value: Double, _ decimals: Int) -> String {
        value.isFinite ? String(format: "%.\(decimals)f", value) : "-"
    }
}
