/// How far a backfill got, reported after each batch.
public struct BackfillProgress: Sendable, Hashable {
    /// Which backfill.
    public let job: BackfillJob
    /// The table it walks.
    public let table: String
    /// Rows updated so far, over every run.
    public let rowsDone: Int
    /// Rows to update, counted when the backfill first started: an estimate, since other code
    /// inserts and updates rows meanwhile.
    public let rowsTotal: Int
    /// Batches committed so far, over every run.
    public let batches: Int
    /// Rows updated by this run.
    public let rowsThisRun: Int
    /// Time since this run started.
    public let elapsed: Duration
    /// How long the last batch's transaction took, retries included.
    public let lastBatch: Duration
    /// The longest batch of this run.
    public let longestBatch: Duration
    /// Whether no rows are left.
    public let isFinished: Bool

    /// Creates a report.
    public init(
        job: BackfillJob, table: String, rowsDone: Int, rowsTotal: Int, batches: Int, rowsThisRun: Int,
        elapsed: Duration, lastBatch: Duration, longestBatch: Duration, isFinished: Bool
    ) {
        self.job = job
        self.table = table
        self.rowsDone = rowsDone
        self.rowsTotal = rowsTotal
        self.batches = batches
        self.rowsThisRun = rowsThisRun
        self.elapsed = elapsed
        self.lastBatch = lastBatch
        self.longestBatch = longestBatch
        self.isFinished = isFinished
    }

    /// This run's speed.
    public var rowsPerSecond: Double {
        let seconds = elapsed.timeInterval
        return seconds > 0 ? Double(rowsThisRun) / seconds : 0
    }

    /// The estimated share done, 0 to 1.
    public var fraction: Double {
        if isFinished { return 1 }
        guard rowsTotal > 0 else { return 0 }
        return min(1, Double(rowsDone) / Double(rowsTotal))
    }

    /// The time left at this run's speed; nil before the speed is known.
    public var estimatedRemaining: Duration? {
        if isFinished { return .zero }
        let speed = rowsPerSecond
        guard speed > 0 else { return nil }
        return .seconds(Double(max(0, rowsTotal - rowsDone)) / speed)
    }
}
