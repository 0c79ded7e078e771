/// How fast a ``Backfiller`` walks, and how long each batch may wait and run.
///
/// `tandem migrate --batch-size N --throttle-ms MS` sets the first two; a file's `batch_size`
/// takes precedence over ``batchSize`` for its own backfill.
public struct BackfillSettings: Sendable, Hashable {
    /// Rows per batch when the file names none. Default 1000.
    public var batchSize: Int
    /// The pause between two batches, leaving the database to other work. Default none.
    public var throttle: Duration
    /// PostgreSQL `lock_timeout` of each batch: how long it waits for a row a writer holds
    /// before giving up and retrying, so writers never queue behind it. Default 2 s.
    public var lockTimeout: Duration
    /// PostgreSQL `statement_timeout` of each batch's statements. A batch that runs out of
    /// time is retried with half as many rows. Default 60 s.
    public var statementTimeout: Duration
    /// How many times a batch is tried before the backfill fails (lock timeouts, deadlocks,
    /// SQLite busy). Default 8.
    public var attempts: Int
    /// The pause before the first retry; it doubles with each further one, up to 5 s, with
    /// jitter. Default 100 ms.
    public var retryDelay: Duration

    /// Creates settings; every argument has the default documented on its property.
    public init(
        batchSize: Int = 1000, throttle: Duration = .zero, lockTimeout: Duration = .seconds(2),
        statementTimeout: Duration = .seconds(60), attempts: Int = 8, retryDelay: Duration = .milliseconds(100)
    ) {
        precondition(batchSize > 0, "a batch holds at least one row")
        precondition(attempts > 0, "a batch is tried at least once")
        precondition(throttle >= .zero && retryDelay >= .zero, "pauses cannot be negative")
        self.batchSize = batchSize
        self.throttle = throttle
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
        self.attempts = attempts
        self.retryDelay = retryDelay
    }

    /// The pause before retry number `retry` (1-based): ``retryDelay`` doubled each time, at most
    /// 5 s, plus up to a quarter more at random so competing retries spread out.
    func delay(beforeRetry retry: Int) -> Duration {
        let base = min(retryDelay * (1 << min(retry - 1, 16)), .seconds(5))
        return base + base * Double.random(in: 0..<0.25)
    }
}
