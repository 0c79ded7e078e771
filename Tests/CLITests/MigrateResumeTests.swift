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
}
