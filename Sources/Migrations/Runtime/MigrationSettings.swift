/// How `tandem migrate` waits, times out and retries; each has a CLI flag of the same name.
public struct MigrationSettings: Sendable, Hashable {
    /// How long a runner waits for the migration lock another runner holds before refusing
    /// (`--lock-timeout`, default 60 s).
    public var lockTimeout: Duration
    /// PostgreSQL's `lock_timeout` for each migration statement (`--ddl-lock-timeout`, default
    /// 2 s): a statement that cannot get its table lock soon gives up instead of queueing behind
    /// a long transaction while every writer queues behind it.
    public var ddlLockTimeout: Duration
    /// How many times a step that hit the lock timeout is tried in all (`--ddl-attempts`,
    /// default 5), waiting ``retryDelay`` and then twice as long each time.
    public var ddlAttempts: Int
    /// The first wait between attempts (default 500 ms).
    public var retryDelay: Duration
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
    /// Batch size, throttle, timeouts and retries of `backfill` operations (`--batch-size`,
    /// `--throttle-ms`).
    public var backfill: BackfillSettings

    /// The defaults above, each replaceable.
    public init(
        lockTimeout: Duration = .seconds(60), ddlLockTimeout: Duration = .seconds(2), ddlAttempts: Int = 5,
        retryDelay: Duration = .milliseconds(500), statementTimeout: Duration = .seconds(60),
        heartbeatTimeout: Duration = .seconds(60), gateWait: Duration = .zero, gatePollInterval: Duration = .seconds(1),
        backfill: BackfillSettings = BackfillSettings()
    ) {
        precondition(ddlAttempts >= 1, "at least one attempt")
        self.lockTimeout = lockTimeout
        self.ddlLockTimeout = ddlLockTimeout
        self.ddlAttempts = ddlAttempts
        self.retryDelay = retryDelay
        self.statementTimeout = statementTimeout
        self.heartbeatTimeout = heartbeatTimeout
        self.gateWait = gateWait
        self.gatePollInterval = gatePollInterval
        self.backfill = backfill
    }
}
