import ArgumentParser
import TandemMigrations

/// `--migrations DIR`, taken by every command that reads migrations.
struct MigrationsDirectoryOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The migrations folder, one sub-folder per component.", valueName: "dir"))
    var migrations = "migrations"
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
            "PostgreSQL lock_timeout for each migration statement; a step that hits it is retried.",
            valueName: "seconds"))
    var ddlLockTimeout: Double = 2

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Attempts per step that hits the DDL lock timeout, pausing 0.5 s, 1 s, 2 s… between them.", valueName: "n"))
    var ddlAttempts = 5

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
            ("--lock-timeout", lockTimeout), ("--ddl-lock-timeout", ddlLockTimeout),
            ("--statement-timeout", statementTimeout), ("--wait-for-gate", waitForGate),
        ] where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(flag) must be a number of seconds, 0 or more")
        }
        guard ddlAttempts >= 1 else { throw ValidationError("--ddl-attempts must be at least 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard throttleMs >= 0 else { throw ValidationError("--throttle-ms must be 0 or more") }
    }

    /// The settings these flags describe.
    var settings: MigrationSettings {
        MigrationSettings(
            lockTimeout: .seconds(lockTimeout), ddlLockTimeout: .seconds(ddlLockTimeout), ddlAttempts: ddlAttempts,
            statementTimeout: .seconds(statementTimeout), heartbeatTimeout: gate.timeout,
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
