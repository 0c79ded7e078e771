import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

/// Folders the CLI tests migrate: the repository's example schema and the runtime fixtures.
enum MigrateFolders {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The example application's component folders: the core plugin's and the file plugin's.
    static let example = [
        repository.appendingPathComponent("Sources/App/Host/Core/Resources/migrations/core").path,
        repository.appendingPathComponent("Sources/FilePlugin/Resources/migrations/file").path,
    ]
    static let fixtures = repository.appendingPathComponent("Tests/MigrationsTests/SupportFixtures/migrations").path

    /// A copy of `folder` inside `directory`, as `directory/migrations`.
    static func copy(_ folder: String, into directory: URL) throws -> String {
        let target = directory.appendingPathComponent("migrations").path
        try FileManager.default.copyItem(atPath: folder, toPath: target)
        return target
    }

    /// A copy of the example application's migrations inside `directory`, as `directory/migrations`.
    static func copyExample(into directory: URL) throws -> String {
        let target = directory.appendingPathComponent("migrations")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for component in example {
            try FileManager.default.copyItem(
                atPath: component,
                toPath: target.appendingPathComponent(URL(fileURLWithPath: component).lastPathComponent).path)
        }
        return target.path
    }
}

@Suite("tandem migrate")
struct MigrateCommandTests {
    @Test("the quick start: migrate then status on the embedded default and the plugins' migrations, in a fresh folder")
    func quickStart() throws {
        try withTemporaryDirectory { folder in
            let first = try TandemProcess.run(["migrate"], in: folder)
            #expect(first.status == 0, "\(first)")
            #expect(
                first.steps
                    == "applied core/0001_initial (compatible)\napplied core/0002_distributions (compatible)\n"
                    + "applied core/0003_tasks (compatible)\napplied core/0004_users (compatible)\n"
                    + "applied core/0005_repository_versions (compatible)\n"
                    + "applied file/0001_initial (compatible)\n6 migration(s) applied.\n"
            )
            #expect(first.errors == "")
            let second = try TandemProcess.run(["migrate"], in: folder)
            #expect(second.status == 0, "\(second)")
            #expect(second.output == "Nothing to apply: all 6 migration(s) are applied.\n")
            let status = try TandemProcess.run(["status"], in: folder)
            #expect(status.status == 0, "\(status)")
            #expect(status.output.hasPrefix("plugins: 2\n  core         1.0.0      Tandem core\n"), "\(status)")
            #expect(
                status.output.contains("\n  file         1.0.0      Tandem File  (requires core >=1.0.0, <2.0.0)\n"))
            #expect(
                status.output.contains("\ndatabase: sqlite:tandem.sqlite3 (SQLite)\n\napplied: 6\n  core/0001_initial ")
            )
            #expect(status.output.contains("pending: 0\ncomponents: 0 live, 0 stale"))
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func appliesCompatibleAndTellsHowManyBreakingArePending(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let arguments = ["migrate", "--migrations", MigrateFolders.fixtures, "--database", test.url]
        let run = try TandemProcess.run(arguments)
        #expect(run.status == 0, "\(run)")
        #expect(run.steps.contains("applied shop/0005_raw (compatible)\n6 migration(s) applied.\n"))
        #expect(run.output.contains("applied shop/0001_tables (compatible) in "))
        #expect(run.output.contains("s; locks: 1 attempt, waited 0.00s\n"))
        #expect(
            run.output.hasSuffix(
                "1 breaking migration(s) pending: run `tandem migrate --breaking` once every process runs the new release.\n"
            ))
        #expect(try test.database.withConnection { try MigrationLedger.applied(on: $0).count } == 6)

        let breaking = try TandemProcess.run(arguments + ["--breaking"])
        #expect(breaking.status == 0, "\(breaking)")
        #expect(breaking.steps == "applied shop/0006_drop_title (breaking)\n1 migration(s) applied.\n")
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aLiveOldProcessRefusesBreakingWithExitThree(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let arguments = ["migrate", "--migrations", MigrateFolders.fixtures, "--database", test.url]
        #expect(try TandemProcess.run(arguments).status == 0)
        try test.database.withConnection { connection in
            try ComponentRegistry.createTable(on: connection)
            try ComponentRegistry.register(
                ComponentRegistration(kind: "api", versions: ["shop": "1.0.0"], host: "web-1", pid: 4242),
                on: connection)
        }
        let run = try TandemProcess.run(arguments + ["--breaking", "--wait-for-gate", "0.3"])
        #expect(run.status == 3, "\(run)")
        #expect(
            run.errors.contains("Error: breaking migration shop/0006_drop_title is blocked by 1 live process(es):\n"))
        #expect(run.errors.contains("  - api on web-1 (pid 4242), runs shop 1.0.0, heartbeat "))
        #expect(run.errors.contains("shop 1.0.0 < required 1.1.0"))

        let plan = try TandemProcess.run(arguments + ["--breaking", "--plan"])
        #expect(plan.status == 0, "\(plan)")
        #expect(
            plan.output.contains(
                "Gates:\n  shop/0006_drop_title requires shop >= 1.1.0: blocked by 1 live process(es)\n"))

        let stale = try TandemProcess.run(arguments + ["--breaking", "--heartbeat-timeout", "0.001"])
        #expect(stale.status == 0, "\(stale)")
    }

    @Test(arguments: TestDatabaseKind.engines)
    func theLockHeldByAnotherRunnerExitsThree(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let run = try await test.database.withConnection { connection in
            try MigrationLock.withLock(on: connection, url: test.database.url, timeout: .zero) {
                try TandemProcess.run([
                    "migrate", "--migrations", MigrateFolders.fixtures, "--database", test.url, "--lock-timeout", "0.2",
                ])
            }
        }
        #expect(run.status == 3, "\(run)")
        #expect(run.errors.contains("another runner holds the migration lock"))
        #expect(run.errors.contains("gave up after waiting 200ms (--lock-timeout)"))
        #expect(run.output == "")
    }

    @Test func invalidFilesExitTwoAndNothingRuns() throws {
        try withTemporaryDirectory { folder in
            let migrations = try MigrateFolders.copy(MigrateFolders.fixtures, into: folder)
            try Data("release: \"1.0.0\"\nphase: compatible\ncolour: blue\noperations: []\n".utf8)
                .write(to: URL(fileURLWithPath: migrations + "/shop/0007_bad.yaml"))
            let run = try TandemProcess.run(["migrate", "--migrations", "migrations"], in: folder)
            #expect(run.status == 2, "\(run)")
            #expect(run.errors.contains("migrations/shop/0007_bad.yaml:3: "), "\(run)")
            let database = try Database("sqlite://" + folder.appendingPathComponent("tandem.sqlite3").path)
            defer { database.close() }
            #expect(try database.withConnection { try $0.tableNames() }.isEmpty)
        }
    }

    @Test func aChangedAppliedFileExitsThreeNamingIt() throws {
        try withTemporaryDirectory { folder in
            let migrations = try MigrateFolders.copyExample(into: folder)
            #expect(try TandemProcess.run(["migrate", "--migrations", "migrations"], in: folder).status == 0)
            let file = migrations + "/file/0001_initial.yaml"
            try Data((try String(contentsOfFile: file, encoding: .utf8) + "\n# changed\n").utf8).write(
                to: URL(fileURLWithPath: file))
            let run = try TandemProcess.run(["migrate", "--migrations", "migrations"], in: folder)
            #expect(run.status == 3, "\(run)")
            #expect(run.errors.contains("migrations/file/0001_initial.yaml (file/0001_initial): checksum "))
            #expect(!run.errors.contains("core/0001_initial"))
            let status = try TandemProcess.run(["status", "--migrations", "migrations"], in: folder)
            #expect(status.output.contains("FILE CHANGED"))
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aFailingStatementExitsOneWithTheStatementAndTheServersMessage(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try withTemporaryDirectory { folder in
            let migrations = try MigrateFolders.copyExample(into: folder)
            try Data(
                "release: \"1.1.0\"\nphase: compatible\noperations:\n  - sql: {up: \"UPDATE core_nothing SET x = 1\", down: \"SELECT 1\", phase: compatible}\n"
                    .utf8
            ).write(to: URL(fileURLWithPath: migrations + "/core/0090_broken.yaml"))
            let run = try TandemProcess.run(
                ["migrate", "--migrations", "migrations", "--database", test.url], in: folder)
            #expect(run.status == 1, "\(run)")
            #expect(
                run.errors.contains(
                    "applying core/0090_broken failed at migrations/core/0090_broken.yaml:4 (sql (compatible))"))
            #expect(run.errors.contains("core_nothing"))
            #expect(run.errors.contains("while executing 'UPDATE core_nothing SET x = 1'"))
            #expect(run.errors.contains("Nothing of core/0090_broken is applied"))
            // core/0005 comes before file/0001: the run stops at the failure, keeping what it committed.
            #expect(
                run.steps
                    == "applied core/0001_initial (compatible)\napplied core/0002_distributions (compatible)\n"
                    + "applied core/0003_tasks (compatible)\napplied core/0004_users (compatible)\n"
                    + "applied core/0005_repository_versions (compatible)\n")
            #expect(
                try test.database.withConnection { try MigrationLedger.applied(on: $0).map(\.identifier) } == [
                    "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                    "core/0005_repository_versions",
                ])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func planPrintsTheSQLAndChangesNothing(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let arguments = ["migrate", "--plan", "--migrations", MigrateFolders.fixtures, "--database", test.url]
        let sql = try TandemProcess.run(arguments + ["--format", "sql"])
        #expect(sql.status == 0, "\(sql)")
        let expected = try Migrator(
            database: test.database, migrations: try Lint.load(directory: MigrateFolders.fixtures).set
        ).plan()
        #expect(sql.output == expected.sqlScript())
        let text = try TandemProcess.run(arguments)
        #expect(text.status == 0, "\(text)")
        #expect(
            text.output.hasPrefix(
                "Plan for \(test.database.dialect): 6 migration(s), nothing changed yet.\n\napply shop/0001_tables (compatible, release 1.0.0)"
            ))
        #expect(
            text.output.contains("Pending, not in this run:\n  shop/0006_drop_title (breaking): breaking: applied by"))
        #expect(
            text.output.contains(
                "    -- writers may wait longer than one lock attempt: raw SQL: Tandem cannot tell which locks"))
        #expect(try test.database.withConnection { try $0.tableNames() }.isEmpty)
    }

    @Test(arguments: [
        (["--format", "sql"], "--format sql needs --plan"),
        (["--to", "shop"], "--to shop: expected component/NNNN or component/NNNN_name"),
        (["--to", "shop/0042"], "--to shop/0042: there is no such migration"),
        (["--lock-timeout=-1"], "--lock-timeout must be a number of seconds, 0 or more"),
        (["--ddl-lock-timeout", "0"], "--ddl-lock-timeout must be at least 0.001 seconds"),
        (["--ddl-retry-for=-5"], "--ddl-retry-for must be a number of seconds, 0 or more"),
        (["--component", "nope"], "--component nope: there are no migrations of component nope"),
    ])
    func badFlagsExitTwo(arguments: [String], message: String) throws {
        let run = try TandemProcess.run(
            ["migrate", "--migrations", MigrateFolders.fixtures, "--database", "sqlite::memory:"] + arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.errors.contains(message), "\(run)")
    }

    @Test(arguments: TestDatabaseKind.engines)
    func toBackwardsUndoesOrRefusesWithExitThree(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let arguments = ["migrate", "--migrations", MigrateFolders.fixtures, "--database", test.url]
        #expect(try TandemProcess.run(arguments).status == 0)
        let back = try TandemProcess.run(arguments + ["--to", "shop/0003"])
        #expect(back.status == 0, "\(back)")
        #expect(
            back.steps
                == "undid shop/0005_raw (compatible)\nundid shop/0004_constraints (compatible)\n2 migration(s) undone.\n"
        )
        #expect(try TandemProcess.run(arguments + ["--breaking"]).status == 0)
        let refused = try TandemProcess.run(arguments + ["--to", "shop/0001"])
        #expect(refused.status == 3, "\(refused)")
        #expect(refused.errors.contains("breaking migrations cannot be undone"))
    }
}
