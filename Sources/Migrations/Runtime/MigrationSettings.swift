/// How `tandem migrate` waits, times out and retries; each has a CLI flag of the same name.
///
/// A statement that needs a strong table lock (most DDL) waits in the table's lock queue, and
/// every writer that comes after it queues behind it. So a migration statement waits only a
/// short time for its lock (``ddlLockTimeout``), gives up, pauses (``retryDelay``, growing,
/// with jitter) and tries again, for as long as ``ddlRetryFor`` allows: writers stall for at
/// most about one attempt's wait, and a long transaction on the table only delays the
/// migration. A longer wait per attempt makes the migration likelier to get through a busy
/// table, at the price of stalling every writer for that long each time.
public struct MigrationSettings: Sendable, Hashable {
    /// How long a runner waits for the migration lock another runner holds before refusing
    /// (`--lock-timeout`, default 60 s).
    public var lockTimeout: Duration
    /// How long each attempt of a migration statement waits for its table lock
    /// (`--ddl-lock-timeout`, default 150 ms): PostgreSQL's `lock_timeout`, SQLite's busy
    /// timeout on the write lock. Writers queue behind a waiting statement for at most this long.
    public var ddlLockTimeout: Duration
    /// How long a step keeps trying after lock timeouts before it fails (`--ddl-retry-for`,
    /// default 10 minutes), counted from its first attempt.
    public var ddlRetryFor: Duration
    /// The pause after the first lock timeout (`--ddl-retry-delay`, default 100 ms); it doubles
    /// with each further one up to ``maximumRetryDelay``, with up to half again added at random
    /// so that the attempts do not fall into step with a periodic job.
    public var retryDelay: Duration
    /// The longest pause between two attempts (default 2 s).
    public var maximumRetryDelay: Duration
    /// PostgreSQL's `lock_timeout` for the statements that block no writer while they wait
    /// (`--concurrent-wait`, default 10 minutes): `CREATE INDEX CONCURRENTLY` and
    /// `DROP INDEX CONCURRENTLY`, which also wait for every older transaction to end, and
    /// `VALIDATE CONSTRAINT`. Their SHARE UPDATE EXCLUSIVE lock does not conflict with writers,
    /// so a short wait would only make them fail and redo their work.
    public var concurrentWait: Duration
    /// PostgreSQL's `statement_timeout` for statements inside a migration's transaction
    /// (`--statement-timeout`, default 60 s; zero for none). Those may hold locks that block
    /// writers, so they must not run long. `CONCURRENTLY` index builds and constraint
    /// validations, which take no such lock, run without a statement timeout.
    public var statementTimeout: Duration
    /// A process is live while its last heartbeat is younger than this (`--heartbeat-timeout`,
    /// default 60 s).
    public var heartbeatTimeout: Duration
    /// How long `--breaking` waits for blocking processes to go away or go stale before
    /// refusing (`--wait-for-gate`, default 0: refuse at once).
    public var gateWait: Duration
    /// How often a waiting gate looks again (default 1 s).
    public var gatePollInterval: Duration
    /// How often a statement that blocks no writer and waits long (a `CONCURRENTLY` build, a
    /// validation) logs the sessions it waits for, on PostgreSQL (default 10 s; 0: never).
    public var waitReportInterval: Duration = .seconds(10)
    /// Batch size, throttle, timeouts and retries of `backfill` operations (`--batch-size`,
    /// `--throttle-ms`).
    public var backfill: BackfillSettings

    /// The defaults above, each replaceable.
    public init(
        lockTimeout: Duration = .seconds(60), ddlLockTimeout: Duration = .milliseconds(150),
        ddlRetryFor: Duration = .seconds(600), retryDelay: Duration = .milliseconds(100),
        maximumRetryDelay: Duration = .seconds(2), concurrentWait: Duration = .seconds(600),
        statementTimeout: Duration = .seconds(60), heartbeatTimeout: Duration = .seconds(60),
        gateWait: Duration = .zero, gatePollInterval: Duration = .seconds(1),
        backfill: BackfillSettings = BackfillSettings()
    ) {
        precondition(ddlLockTimeout > .zero, "a lock wait of zero would wait forever on PostgreSQL")
        precondition(ddlRetryFor >= .zero && retryDelay >= .zero, "durations cannot be negative")
        precondition(maximumRetryDelay >= retryDelay, "the longest pause is at least the first")
        self.lockTimeout = lockTimeout
        self.ddlLockTimeout = ddlLockTimeout
        self.ddlRetryFor = ddlRetryFor
        self.retryDelay = retryDelay
        self.maximumRetryDelay = maximumRetryDelay
        self.concurrentWait = concurrentWait
        self.statementTimeout = statementTimeout
        self.heartbeatTimeout = heartbeatTimeout
        self.gateWait = gateWait
        self.gatePollInterval = gatePollInterval
        self.backfill = backfill
    }

    /// The pause before retry number `retry` (1-based): ``retryDelay`` doubled each time, at
    /// most ``maximumRetryDelay``, plus up to half again at random.
    func delay(beforeRetry retry: Int) -> Duration {
        let base = min(retryDelay * (1 << min(retry - 1, 16)), maximumRetryDelay)
        return base + base * Double.random(in: 0..<0.5)
    }
}
