import ArgumentParser
import Foundation
import Logging
import TandemDatabase
import TandemMigrations

/// `tandem migrate`: applies pending migrations (compatible ones; breaking ones with
/// `--breaking`, gated), migrates to a migration with `--to`, or prints the plan with `--plan`.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations: compatible ones, or with --breaking the breaking ones too.",
        discussion: """
            Plain `migrate` applies pending compatible migrations and says how many breaking ones \
            are pending. `migrate --breaking` also applies breaking migrations, only while every live \
            process runs at least the versions they require. `--to component/NNNN` applies up to and \
            including that migration, or, when it is applied, undoes the compatible migrations applied \
            after it, refused while a live process runs a release that ships one of them \
            (--wait-for-gate waits for it). `--plan` prints what would run, with the SQL, and changes nothing. A `backfill` \
            runs in batches (`--batch-size`, `--throttle-ms`), each its own transaction, with a progress \
            bar on a terminal. Ctrl-C or SIGTERM stops at the next safe point (after the current batch, \
            between a migration's transactions, or between migrations); a second one stops at once, \
            rolling back the open transaction. A run that stops or fails inside a migration records \
            how far it got (`tandem status` shows it), and the next run resumes from there. \
            A statement that needs a table lock waits for it at most --ddl-lock-timeout (0.15 s) per \
            attempt, because every writer of the table queues behind it meanwhile; it then retries after \
            a growing, jittered pause for up to --ddl-retry-for (10 minutes). Each step line says how many \
            lock attempts it took and how long it waited. A longer wait per attempt gets through a busy \
            table sooner but stalls writers that long; --plan names operations whose lock PostgreSQL \
            cannot bound (a table rewrite, raw SQL). \
            A lock wait that gives up names the sessions holding the table. \
            Exit codes: 0 done; 1 a statement failed (what could not be undone stays, recorded, and \
            the next run resumes after it), or the run was interrupted; 2 invalid files or flags; \
            3 refused: a gate, a live process that needs what --to would undo, a changed applied \
            file, a migration file changed while partly applied, the lock held by another runner, a \
            migration that cannot be undone, a backfill whose definition changed half-way.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var directory: MigrationsDirectoryOption

    @Flag(name: .long, help: "Print the plan and the SQL; change nothing.")
    var plan = false

    @Option(name: .long, help: "With --plan: `text` (default) or `sql`, the SQL alone, for other tools.")
    var format: PlanFormat = .text

    @Flag(name: .long, help: "Also apply breaking migrations, each only when every live process meets its `requires`.")
    var breaking = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only this component's migrations (and the pending ones they depend on).", valueName: "component"))
    var component: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Migrate to this migration, forwards or backwards.", valueName: "component/NNNN"))
    var to: String?

    @OptionGroup var settings: MigrateSettingsOptions

    func validate() throws {
        if format == .sql && !plan { throw ValidationError("--format sql needs --plan") }
        if let to, MigrationTarget(parsing: to) == nil {
            throw ValidationError("--to \(to): expected component/NNNN or component/NNNN_name")
        }
    }

    func run() throws {
        let application = try ExampleApplication.assemble()
        let database = try self.database.open(maximumConnections: 1)
        defer { database.close() }
        let request = MigrationRequest(
            breaking: breaking, component: component, target: to.flatMap(MigrationTarget.init(parsing:)))
        if !plan, request.target == nil, let count = try directory.appliedCount(application, database: database) {
            print("Nothing to apply: all \(count) migration(s) are applied.")
            return
        }
        let (set, warnings) = try directory.load(application)
        for warning in warnings {
            FileHandle.standardError.write(Data("\(warning)\n".utf8))
        }
        var logger = Logger(label: "tandem.migrate")
        logger.logLevel = .warning
        var migrator = Migrator(database: database, migrations: set, settings: settings.settings, logger: logger)
        if !plan {
            var progressLogger = Logger(label: "tandem.backfill")
            progressLogger.logLevel = .info
            let signalLogger = progressLogger
            migrator.interruption = BackfillInterruption.onSignals(logger: signalLogger) {
                signalLogger.warning(
                    "second interruption: stopping now; the open transaction is rolled back, and the next run resumes")
                Foundation.exit(ExitStatus.failed.rawValue)
            }
            migrator.backfillProgress = BackfillProgressDisplay.standardError(logger: progressLogger).report
        }
        if plan {
            let plan = try migrator.plan(request)
            print(format == .sql ? plan.sqlScript() : MigratePlanPrinter.text(plan), terminator: "")
            return
        }
        let report = try migrator.migrate(request) { step in print(MigratePlanPrinter.line(step)) }
        print(MigratePlanPrinter.summary(report), terminator: "")
    }
}

/// How `--plan` prints.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    /// Readable: migrations, operations, SQL, held migrations, gates.
    case text
    /// The SQL alone.
    case sql
}
