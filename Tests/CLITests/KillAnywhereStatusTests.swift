import Foundation
import TandemDatabase
import TandemTesting
import Testing

/// Issue 14, item 3: `tandem status` reports what interrupted runs left, with the step each
/// belongs to.
@Suite("tandem status reports leftovers of interrupted runs")
struct KillAnywhereStatusTests {
    static let files = [
        "app/0001_table.yaml": """
        release: "1.0.0"
        phase: compatible
        operations:
          - create_table:
              name: big
              columns: [{name: id, type: bigint, null: false}, {name: a, type: integer}, {name: b, type: integer}]
              primary_key: [id]

        """,
        "app/0002_step.yaml": """
        release: "2.0.0"
        phase: compatible
        operations:
          - create_index: {table: big, columns: [a, b]}
          - add_check: {table: big, expression: "a >= 0"}

        """,
    ]

    /// Writes `files` to a fresh folder for `body`.
    private func withFolder(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        try withTemporaryDirectory { folder in
            for (path, text) in files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            try body(folder)
        }
    }

    // PostgreSQL only by nature: INVALID indexes, NOT VALID constraints and the migration lock's
    // server-side statements exist only there. The test leaves them as a killed run would (the
    // test server's user is a superuser, which may mark an index INVALID).
    @Test func invalidIndexesNotValidConstraintsAndRunningStatementsAreNamedWithTheirStep() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try withFolder(Self.files) { folder in
            let common = ["--migrations", folder.path, "--database", test.url]
            #expect(try TandemProcess.run(["migrate", "--to", "app/0001"] + common).status == 0)
            try test.database.withConnection { connection in
                try connection.execute("CREATE INDEX big_a_b_idx ON big (a, b)")
                try connection.execute(
                    "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'big_a_b_idx'::regclass")
                try connection.execute("ALTER TABLE big ADD CONSTRAINT big_check CHECK (a >= 0) NOT VALID")
            }
            // A session holding the migration lock, running a statement: a runner at work.
            let holder = try Database(test.url, maximumConnections: 1)
            defer { holder.close() }
            let sleeper = Thread {
                _ = try? holder.withConnection { connection in
                    try connection.execute(
                        "SELECT pg_advisory_lock(\(0x7461_6E64), hashtext(current_database() || '.' || coalesce(current_schema(), '')))"
                    )
                    try connection.execute("CREATE TABLE slow AS SELECT 1 AS s FROM pg_sleep(3)")
                    try connection.execute("SELECT pg_advisory_unlock_all()")
                }
            }
            sleeper.start()
            let deadline = ContinuousClock.now + .seconds(10)
            var run = try TandemProcess.run(["status"] + common)
            while !run.output.contains("running_statement") && ContinuousClock.now < deadline {
                blockingSleep(0.1)
                run = try TandemProcess.run(["status"] + common)
            }
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("leftovers: 3"), "\(run)")
            #expect(
                run.output.contains(
                    "  invalid_index big_a_b_idx on big: INVALID (a concurrent build that did not finish); "
                        + "maintained on every write, used by no query; step app/0002_step: create_index (line 4)"),
                "\(run)")
            #expect(
                run.output.contains(
                    "  not_valid_constraint big_check on big: NOT VALID (its validation did not finish); "
                        + "rows written before it are not checked; step app/0002_step: add_check (line 5)"),
                "\(run)")
            #expect(
                run.output.contains("the migration runner's statement `CREATE TABLE slow AS …` running for"), "\(run)")
            let json = try TandemProcess.run(["status", "--json"] + common)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let leftovers = try #require(object["leftovers"] as? [[String: Any]])
            #expect(leftovers.first?["kind"] as? String == "invalid_index")
            #expect(leftovers.first?["step"] as? String == "app/0002_step: create_index (line 4)")
            #expect(Set(leftovers.first?.keys.map { $0 } ?? []) == ["kind", "table", "name", "step", "detail"])
            while !sleeper.isFinished { blockingSleep(0.1) }
            // The rerun takes both over: nothing is left.
            #expect(try TandemProcess.run(["migrate"] + common).status == 0)
            let after = try TandemProcess.run(["status"] + common)
            #expect(!after.output.contains("leftovers"), "\(after)")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aColumnSyncNoMigrationDeclaresIsAnOrphan(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        var files = Self.files
        files["app/0002_step.yaml"] = """
            release: "2.0.0"
            phase: compatible
            operations:
              - rename_column: {table: big, from: a, to: alpha}

            """
        try withFolder(files) { folder in
            let common = ["--migrations", folder.path, "--database", test.url]
            #expect(try TandemProcess.run(["migrate"] + common).status == 0)
            #expect(try !TandemProcess.run(["status"] + common).output.contains("leftovers"))
            // The file that declared the change is gone: its triggers belong to no migration.
            try FileManager.default.removeItem(at: folder.appendingPathComponent("app/0002_step.yaml"))
            let run = try TandemProcess.run(["status"] + common)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("leftovers: 1\n  orphan_column_sync "), "\(run)")
            #expect(run.output.contains(" on big: no migration declares this column change"), "\(run)")
        }
    }
}
