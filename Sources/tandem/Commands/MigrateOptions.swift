import ArgumentParser
import TandemApp
import TandemDatabase
import TandemMigrations

/// `--migrations DIR`, taken by every command that reads migrations; without it, the
/// application's plugins' own migrations (shipped as resources next to the binary).
struct MigrationsDirectoryOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The migrations folder, one sub-folder per component (default: the application's plugins' migrations).",
            valueName: "dir"))
    var migrations: String?

    /// The folder's migrations, or the application's, with lint warnings.
    func load(_ application: Application) throws -> (set: MigrationSet, warnings: [LintFinding]) {
        if let migrations { return try Lint.load(directory: migrations) }
        return try application.loadMigrations()
    }

    /// The number of migrations when every one is applied unchanged, else nil (see
    /// ``MigrationDirectoryCheck``): a run with nothing to do parses no file.
    func appliedCount(_ application: Application, database: Database) throws -> Int? {
        if let migrations { return try MigrationDirectoryCheck.appliedCount(directory: migrations, database: database) }
        var total = 0
        for directory in application.plugins.compactMap({ $0.migrationsDirectory }) {
            guard let count = try MigrationDirectoryCheck.appliedCount(directory: directory.path, database: database)
            else { return nil }
            total += count
        }
        return total
    }
}

/// The timeouts and retries of `tandem migrate` (``MigrationSettings``), as flags in seconds.
struct MigrateSettingsOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long to wait for another runner's migration lock before refusing (exit 3).", valueName: "seconds"))
    var lockTimeout: Double = 60

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long each attempt of a migration statement waits for its table lock (PostgreSQL lock_timeout, SQLite busy timeout). Writers queue behind a waiting statement for up to this long; a longer wait gets through a busy table sooner but stalls every writer that long. Also each backfill batch's wait for row locks.",
            valueName: "seconds"))
    var ddlLockTimeout: Double = 0.15

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long a step keeps retrying after lock timeouts before it fails (exit 1); a long transaction on the table only delays the migration.",
            valueName: "seconds"))
    var ddlRetryFor: Double = 600

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The pause after the first lock timeout; it doubles with each retry up to 2 s, with jitter.",
            valueName: "seconds"))
    var ddlRetryDelay: Double = 0.1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long statements that block no writer (CREATE/DROP INDEX CONCURRENTLY, VALIDATE CONSTRAINT) wait for their lock and for older transactions (0: no limit).",
            valueName: "seconds"))
    var concurrentWait: Double = 600

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL statement_timeout inside migration transactions (0: none); CONCURRENTLY builds and validations run without one.",
            valueName: "seconds"))
    var statementTimeout: Double = 60

    @OptionGroup var gate: GateOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Rows per batch of a backfill, when its file names no batch_size; each batch is its own transaction.",
            valueName: "rows"))
    var batchSize = 1000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pause between two batches of a backfill, leaving the database to other work.", valueName: "ms"))
    var throttleMs = 0

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --breaking: how long to wait for blocking processes to upgrade, stop or go stale before refusing (exit 3).",
            valueName: "seconds"))
    var waitForGate: Double = 0

    func validate() throws {
        for (flag, value) in [
            ("--lock-timeout", lockTimeout), ("--ddl-retry-for", ddlRetryFor), ("--ddl-retry-delay", ddlRetryDelay),
            ("--concurrent-wait", concurrentWait), ("--statement-timeout", statementTimeout),
            ("--wait-for-gate", waitForGate),
        ] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(flag) must be a number of seconds, 0 or more")
        }
        guard ddlLockTimeout >= 0.001, ddlLockTimeout.isFinite else {
            throw ValidationError("--ddl-lock-timeout must be at least 0.001 seconds (PostgreSQL reads 0 as no limit)")
        }
        guard ddlRetryDelay <= 2 else { throw ValidationError("--ddl-retry-delay must be at most 2 seconds") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard throttleMs >= 0 else { throw ValidationError("--throttle-ms must be 0 or more") }
    }

    /// The settings these flags describe.
    var settings: MigrationSettings {
        MigrationSettings(
            lockTimeout: .seconds(lockTimeout), ddlLockTimeout: .seconds(ddlLockTimeout),
            ddlRetryFor: .seconds(ddlRetryFor), retryDelay: .seconds(ddlRetryDelay),
            concurrentWait: .seconds(concurrentWait), statementTimeout: .seconds(statementTimeout),
            heartbeatTimeout: gate.timeout,
            gateWait: .seconds(waitForGate),
            backfill: BackfillSettings(
                batchSize: batchSize, throttle: .milliseconds(throttleMs), lockTimeout: .seconds(ddlLockTimeout),
                statementTimeout: .seconds(statementTimeout)))
    }
}

/// `--heartbeat-timeout`: when a registered process stops counting for the version gates.
struct GateOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("A process is live while its last heartbeat is younger than this.", valueName: "seconds"))
    var heartbeatTimeout: Double = 60

    func validate() throws {
        guard heartbeatTimeout > 0, heartbeatTimeout.isFinite else {
            throw ValidationError("--heartbeat-timeout must be a positive number of seconds")
        }
    }

    /// The timeout.
    var timeout: Duration { .seconds(heartbeatTimeout) }
}
