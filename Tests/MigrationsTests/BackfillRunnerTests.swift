import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Backfill: run by tandem migrate, outside the migration's transaction")
struct BackfillRunnerTests {
    /// `core/0001`: `item` with 900 rows; `core/0002`: a column, its backfill, and `after`.
    static func migrations(after: String = "  - create_index: {table: item, columns: [m]}\n") throws
        -> ScratchMigrations
    {
        try ScratchMigrations([
            "core/0001_items.yaml": compatibleFile(
                """
                  - create_table:
                      name: item
                      columns: [{name: id, type: bigint, null: false}, {name: n, type: integer, null: false, default: 0}]
                      primary_key: id
                  - sql:
                      phase: compatible
                      up: >-
                        INSERT INTO item (id) WITH RECURSIVE s(i) AS
                        (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < 900) SELECT i FROM s
                      down: DELETE FROM item

                """),
            "core/0002_fill.yaml": compatibleFile(
                """
                  - add_column: {table: item, column: {name: m, type: integer}}
                  - backfill: {table: item, set: {m: "n + 10", n: "n + 1"}, batch_size: 100}

                """ + after),
        ])
    }

    @Test(
        "migrate runs the backfill batch by batch, then records the migration and drops its checkpoint",
        arguments: TestDatabaseKind.allCases)
    func applies(_ kind: TestDatabaseKind) async throws {
        let scratch = try Self.migrations()
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let recorder = ProgressRecorder()
            var migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            migrator.backfillProgress = recorder.record
            let plan = try migrator.plan()
            #expect(
                plan.sqlScript().contains(
                    #"-- backfill in batches by primary key, each its own transaction: UPDATE "item" SET "m" = n + 10, "n" = n + 1"#
                ))
            let report = try migrator.migrate()
            #expect(report.applied.map(\.description) == ["core/0001_items", "core/0002_fill"])
            #expect(recorder.rowsPerBatch == Array(repeating: 100, count: 9) + [0])
            try database.withConnection { connection throws in
                #expect(try BackfillFixture.counters(on: connection) == [1: 900])
                #expect(try connection.query("SELECT count(*) FROM item WHERE m <> 10")[0].decode(Int.self, at: 0) == 0)
                #expect(try BackfillCheckpoint.all(on: connection).isEmpty)
            }
        }
    }

    @Test(
        "an interrupted backfill leaves the migration pending; the next migrate resumes it, skipping what ran",
        arguments: TestDatabaseKind.allCases)
    func resumes(_ kind: TestDatabaseKind) async throws {
        let scratch = try Self.migrations()
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let interruption = BackfillInterruption()
            var migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            migrator.interruption = interruption
            migrator.backfillProgress = { if $0.batches == 4 { interruption.request() } }
            let error = thrownError { try migrator.migrate() }
            let interrupted = try #require(error as? BackfillInterrupted)
            #expect(interrupted.progress.job == BackfillJob(migration: "core/0002_fill", operation: 1))
            #expect(try ledgerIDs(database) == ["core/0001_items"])
            let status = try migrator.status()
            #expect(status.backfills.map(\.job) == [interrupted.progress.job])
            #expect(status.backfills.first?.rowsDone == 400 && status.backfills.first?.lastKey == "[400]")
            #expect(try status.json().contains(#""last_key" : "[400]""#))

            let resumed = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            let plan = try resumed.plan()
            #expect(plan.steps.map { $0.operations.map(\.isAlreadyApplied) } == [[true, false, false]])
            try resumed.migrate()
            #expect(try ledgerIDs(database) == ["core/0001_items", "core/0002_fill"])
            #expect(try resumed.status().backfills.isEmpty)
            try database.withConnection { connection throws in
                #expect(try BackfillFixture.counters(on: connection) == [1: 900])
                #expect(try BackfillCheckpoint.all(on: connection).isEmpty)
            }
        }
    }

    @Test(
        "a failure after a finished backfill keeps what led to it; fixed, the next migrate goes on",
        arguments: TestDatabaseKind.allCases)
    func failureAfterBackfill(_ kind: TestDatabaseKind) async throws {
        let scratch = try Self.migrations(
            after:
                "  - sql: {phase: compatible, up: \"INSERT INTO audit (note) VALUES ('filled')\", down: DELETE FROM audit}\n"
        )
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            let failure = try #require(thrownError { try migrator.migrate() } as? MigrationFailure)
            #expect(failure.leftApplied.count == 1)
            #expect(failure.leftApplied.first?.contains("backfill item (m, n) (line 5): kept") == true)
            try database.withConnection { connection throws in
                try connection.execute("CREATE TABLE audit (note TEXT)")
                #expect(try BackfillCheckpoint.all(on: connection).map(\.isFinished) == [true])
            }
            try migrator.migrate()
            #expect(try ledgerIDs(database) == ["core/0001_items", "core/0002_fill"])
            try database.withConnection { connection throws in
                #expect(try BackfillFixture.counters(on: connection) == [1: 900])
                #expect(try connection.query("SELECT note FROM audit")[0].decode(String.self, at: 0) == "filled")
            }
        }
    }

    @Test(
        "a backfill that cannot start fails the step, and what came before it is undone",
        arguments: TestDatabaseKind.allCases)
    func failsBeforeStarting(_ kind: TestDatabaseKind) async throws {
        let scratch = try Self.migrations()
        defer { scratch.remove() }
        try scratch.write(
            "core/0002_fill.yaml",
            compatibleFile(
                """
                  - add_column: {table: item, column: {name: m, type: integer}}
                  - backfill: {table: item, set: {m: "no_such_column + 1"}}

                """))
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            let failure = try #require(thrownError { try migrator.migrate() } as? MigrationFailure)
            #expect(failure.line == 5 && failure.operation == "backfill item (m)")
            #expect(failure.underlying is BackfillError)
            #expect(failure.leftApplied.isEmpty)
            try database.withConnection { connection throws in
                #expect(try connection.introspectTable("item")?.column(named: "m") == nil)
            }
        }
    }
}
