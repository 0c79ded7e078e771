import Foundation

/// The figures of `tandem-bench backfill`.
struct BackfillBenchmarkResult: Encodable {
    let dialect: String
    let serverVersion: String
    let rows: Int
    let batchSize: Int
    let throttleMilliseconds: Double
    let batches: Int
    let plainUpdateSeconds: Double
    let backfillSeconds: Double
    let writers: Int
    let writesAlone: Int
    let writesDuring: Int
    let p99AloneMilliseconds: Double
    let p99DuringMilliseconds: Double
    let maxDuringMilliseconds: Double
    let longestBatchMilliseconds: Double
    let backfillWithWritersSeconds: Double

    /// The backfill's time over the plain UPDATE's (target: at most 2).
    var timeRatio: Double { backfillSeconds / plainUpdateSeconds }
    /// The writers' p99 during the backfill over alone (target: at most 3).
    var p99Ratio: Double { p99DuringMilliseconds / p99AloneMilliseconds }

    enum CodingKeys: String, CodingKey {
        case dialect, serverVersion = "server_version", rows, batchSize = "batch_size", batches
        case throttleMilliseconds = "throttle_ms"
        case plainUpdateSeconds = "plain_update_s", backfillSeconds = "backfill_s", timeRatio = "time_ratio"
        case writers, writesAlone = "writes_alone", writesDuring = "writes_during"
        case p99AloneMilliseconds = "writer_p99_alone_ms", p99DuringMilliseconds = "writer_p99_during_ms"
        case p99Ratio = "writer_p99_ratio", maxDuringMilliseconds = "writer_max_during_ms"
        case longestBatchMilliseconds = "longest_batch_ms", backfillWithWritersSeconds = "backfill_with_writers_s"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dialect, forKey: .dialect)
        try container.encode(serverVersion, forKey: .serverVersion)
        try container.encode(rows, forKey: .rows)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(batches, forKey: .batches)
        try container.encode(throttleMilliseconds, forKey: .throttleMilliseconds)
        try container.encode(writers, forKey: .writers)
        try container.encode(writesAlone, forKey: .writesAlone)
        try container.encode(writesDuring, forKey: .writesDuring)
        for (value, key) in [
            (plainUpdateSeconds, CodingKeys.plainUpdateSeconds), (backfillSeconds, .backfillSeconds),
            (timeRatio, .timeRatio),
            (p99AloneMilliseconds, .p99AloneMilliseconds), (p99DuringMilliseconds, .p99DuringMilliseconds),
            (p99Ratio, .p99Ratio), (maxDuringMilliseconds, .maxDuringMilliseconds),
            (longestBatchMilliseconds, .longestBatchMilliseconds),
            (backfillWithWritersSeconds, .backfillWithWritersSeconds),
        ] {
            try container.encode((value * 1000).rounded() / 1000, forKey: key)
        }
    }

    /// The figures as a small table, with the targets.
    var table: String {
        """
        tandem-bench backfill: \(dialect) \(serverVersion), \(rows) rows, batches of \(batchSize) (\(batches) batches)
        (a) plain UPDATE          \(format(plainUpdateSeconds)) s
            backfill              \(format(backfillSeconds)) s
            time ratio            \(format(timeRatio))   (target ≤ 2)
        (b) backfill pausing \(format(throttleMilliseconds)) ms between batches
            \(writers) writers alone     p99 \(format(p99AloneMilliseconds)) ms  (\(writesAlone) updates)
            during the backfill   p99 \(format(p99DuringMilliseconds)) ms, max \(format(maxDuringMilliseconds)) ms  (\(writesDuring) updates, backfill \(format(backfillWithWritersSeconds)) s)
            p99 ratio             \(format(p99Ratio))   (target ≤ 3)
            longest batch         \(format(longestBatchMilliseconds)) ms
        """
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
