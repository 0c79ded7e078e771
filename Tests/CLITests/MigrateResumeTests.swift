import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("tandem migrate resumes a migration applied in part, and status shows how far it got")
struct MigrateResumeTests {
    /// The failure exits 1 and says what stays; the rerun is not "bad input" (exit 2) but resumes;
    /// `status` lists the partly applied migration in between. PostgreSQL only: on SQLite a
    /// migration without a backfill is one transaction, so it cannot stop half-applied.
    @Test func aHalfAppliedMigrationIsShownAndResumed() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("migrations/app")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let header = "release: \"1.0.0\"\nphase: compatible\noperations:\n"
            try Data(
                (header
                    + "  - create_table: {name: app_big, columns: [{name: id, type: bigint}, {name: code, type: text}], primary_key: [id]}\n")
                    .utf8
            ).write(to: folder.appendingPathComponent("0001_base.yaml"))
            try Data(
                (header
                    + """
                      - add_column: {table: app_big, column: {name: extra, type: text}}
                      - sql: {up: "CREATE TABLE app_side (id bigint)", down: "DROP TABLE app_side_typo", phase: compatible}
                      - sql: {up: "CREATE UNIQUE INDEX CONCURRENTLY app_big_code_key ON app_big (code)", down: "DROP INDEX app_big_code_key", phase: compatible}

                    """).utf8
            ).write(to: folder.appendingPathComponent("0002_unique.yaml"))
            let common = ["--migrations", directory.appendingPathComponent("migrations").path, "--database", test.url]
            #expect(try TandemProcess.run(["migrate", "--to", "app/0001"] + common).status == 0)
            try test.database.withConnection { connection in
                try connection.execute("INSERT INTO app_big (id, code) VALUES (1, 'a'), (2, 'a')")
            }
            let failed = try TandemProcess.run(["migrate"] + common)
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.errors.contains("resumes after what stays applied"))
            #expect(!failed.errors.contains("Nothing of app/0002_unique is applied"))
            let again = try TandemProcess.run(["migrate"] + common)
            #expect(
                again.status == 1, "a rerun before the data is fixed fails the same way, not as bad input: \(again)")
            #expect(again.errors.contains("could not create unique index"))

            let status = try TandemProcess.run(["status"] + common)
            #expect(
                status.output.contains("partly applied: 1\n  app/0002_unique: the next `tandem migrate` resumes it"))
            #expect(status.output.contains("#0 add_column"))

            try test.database.withConnection { connection in try connection.execute("DELETE FROM app_big WHERE id = 2")
            }
            let resumed = try TandemProcess.run(["migrate"] + common)
            #expect(resumed.status == 0, "\(resumed)")
            #expect(try TandemProcess.run(["status"] + common).output.contains("partly applied: 0"))
        }
    }

    /// `tandem migrate` killed (SIGKILL) while its `CREATE INDEX CONCURRENTLY` waits for an old
    /// snapshot, its server session ended too: the INVALID index it left is dropped by the next
    /// run, which then builds it again, instead of failing on "already exists". PostgreSQL only:
    /// SQLite has no concurrent builds.
    @Test func aRunKilledInAConcurrentBuildIsCleanedUpAndResumed() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("migrations/app")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let header = "release: \"1.0.0\"\nphase: compatible\noperations:\n"
            try Data(
                (header
                    + "  - create_table: {name: app_kill, columns: [{name: id, type: bigint}, {name: code, type: text}], primary_key: [id]}\n")
                    .utf8
            ).write(to: folder.appendingPathComponent("0001_base.yaml"))
            try Data(
                (header
                    + "  - add_column: {table: app_kill, column: {name: extra, type: text}}\n"
                    + "  - create_index: {table: app_kill, columns: [code], name: app_kill_code_idx}\n").utf8
            ).write(to: folder.appendingPathComponent("0002_index.yaml"))
            let common = ["--migrations", directory.appendingPathComponent("migrations").path, "--database", test.url]
            #expect(try TandemProcess.run(["migrate", "--to", "app/0001"] + common).status == 0)
            let reader = try Database(test.url, maximumConnections: 1)
            defer { reader.close() }
            try reader.withConnection { connection in
                try connection.transaction {
                    // An old snapshot on another table: the build waits for it, add_column does not.
                    try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    _ = try connection.query("SELECT count(*) FROM tandem_migrations")
                    let process = try BackgroundTandem(["migrate"] + common)
                    let backend = try Self.waitForConcurrentBuild(on: connection)
                    #expect(process.kill() == nil, "migrate ended before it was killed")
                    if let backend {
                        _ = try connection.query("SELECT pg_terminate_backend(\(backend))")
                    }
                }
            }
            let status = try TandemProcess.run(["status"] + common)
            #expect(status.output.contains("#0 add_column"), "\(status)")
            let resumed = try TandemProcess.run(["migrate"] + common)
            #expect(resumed.status == 0, "\(resumed)")
            try test.database.withConnection { connection in
                let indexes = try connection.query(
                    """
                    SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = current_schema() AND c.relname LIKE 'app_kill_code%'
                    """)
                #expect(indexes.count == 1)
                #expect(try indexes.first?.decode(Bool.self, at: 1) == true)
            }
        }
    }

    /// Polls until this database's concurrent build of `index` waits, and returns
    /// its server process.
    private static func waitForConcurrentBuild(on connection: Connection, index: String = "app_kill_code_idx") throws
        -> Int?
    {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            _ = try connection.query("SELECT pg_stat_clear_snapshot()")
            let rows = try connection.query(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type IS NOT NULL AND query LIKE 'CREATE INDEX CONCURRENTLY%\(index)%'"
            )
            if let pid = try rows.first?.decode(Int.self, at: 0) { return pid }
            blockingSleep(0.05)
        }
        Issue.record("the concurrent build never waited")
        return nil
    }

    /// One Ctrl-C while a migration's concurrent build waits: the build finishes, the run stops
    /// before the migration's next part with exit 1 and says so, `status` shows the migration
    /// partly applied, and the next run finishes it. PostgreSQL only: on SQLite a migration
    /// without a backfill is one transaction, finished before the run stops.
    @Test func oneInterruptOutsideABackfillStopsAtTheNextSafePoint() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try withTemporaryDirectory { directory in
            let folder = directory.appendingPathComponent("migrations/app")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let header = "release: \"1.0.0\"\nphase: compatible\noperations:\n"
            try Data(
                (header
                    + "  - create_table: {name: app_sig, columns: [{name: id, type: bigint}, {name: code, type: text}], primary_key: [id]}\n")
                    .utf8
            ).write(to: folder.appendingPathComponent("0001_base.yaml"))
            try Data(
                (header
                    + "  - add_column: {table: app_sig, column: {name: extra, type: text}}\n"
                    + "  - create_index: {table: app_sig, columns: [code], name: app_sig_code_idx}\n"
                    + "  - add_column: {table: app_sig, column: {name: other, type: text}}\n").utf8
            ).write(to: folder.appendingPathComponent("0002_sig.yaml"))
            let common = ["--migrations", directory.appendingPathComponent("migrations").path, "--database", test.url]
            #expect(try TandemProcess.run(["migrate", "--to", "app/0001"] + common).status == 0)
            let reader = try Database(test.url, maximumConnections: 1)
            defer { reader.close() }
            let process = try reader.withConnection { connection in
                try connection.transaction {
                    try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    _ = try connection.query("SELECT count(*) FROM tandem_migrations")
                    let process = try BackgroundTandem(["migrate"] + common)
                    _ = try Self.waitForConcurrentBuild(on: connection, index: "app_sig_code_idx")
                    process.signal(SIGINT)
                    blockingSleep(0.3)
                    #expect(process.isRunning, "one interrupt lets the build finish")
                    return process
                }
            }
            let deadline = ContinuousClock.now + .seconds(60)
            while process.isRunning && ContinuousClock.now < deadline { blockingSleep(0.05) }
            let run = try #require(process.kill(), "migrate did not stop by itself")
            #expect(run.status == 1, "\(run)")
            #expect(run.errors.contains("interrupted inside app/0002_sig, before its operation at line 6"), "\(run)")
            #expect(!run.errors.contains("finishing the current batch"))
            let status = try TandemProcess.run(["status"] + common)
            #expect(status.output.contains("partly applied: 1\n  app/0002_sig"), "\(status)")
            let resumed = try TandemProcess.run(["migrate"] + common)
            #expect(resumed.status == 0, "\(resumed)")
            let columns = try test.database.withConnection { try $0.introspectSchema() }.table(named: "app_sig")?
                .columns.map(\.name)
            #expect(columns == ["id", "code", "extra", "other"])
        }
    }
}
