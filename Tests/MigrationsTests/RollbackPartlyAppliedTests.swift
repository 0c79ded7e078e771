import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("--to undoes what an interrupted run of a pending migration committed")
struct RollbackPartlyAppliedTests {
    static let files = [
        "app/0001_base.yaml": compatibleFile(
            "  - create_table: {name: app_doc, columns: [{name: id, type: bigint}, {name: body, type: text, null: false}], primary_key: [id]}\n"
        ),
        "app/0002_rename.yaml": compatibleFile(
            """
              - add_column: {table: app_doc, column: {name: extra, type: text}}
              - rename_column: {table: app_doc, from: body, to: content}

            """, release: "1.1.0"),
    ]

    /// Stopped in the rename's backfill, `app/0002` is partly applied: `--to app/0001` undoes
    /// its added column and its expand step, clears its progress and checkpoint, and the next
    /// `migrate` applies it from the start.
    @Test(arguments: TestDatabaseKind.engines)
    func aMigrationStoppedInItsBackfillIsUndoneByTo(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations(Self.files)
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            var settings = quickSettings
            settings.backfill.batchSize = 10
            var migrator = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try database.transaction { connection in
                for id in 1...100 {
                    _ = try connection.execute(
                        "INSERT INTO app_doc (id, body) VALUES ($1, $2)", [.integer(Int64(id)), .text("doc \(id)")])
                }
            }
            let interruption = BackfillInterruption()
            migrator.interruption = interruption
            migrator.backfillProgress = { if $0.batches == 2 { interruption.request() } }
            _ = thrownError { try migrator.migrate() }
            let partly = try migrator.status().partlyApplied.map(\.migration)
            #expect(partly == ["app/0002_rename"], "the run stopped part-way")

            let back = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            let report = try back.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            #expect(report.undone.map(\.description) == ["app/0002_rename"])
            #expect(try Self.columns(database) == ["id", "body"])
            let status = try back.status()
            #expect(status.partlyApplied.isEmpty)
            #expect(status.columnSyncs.isEmpty, "no dual-write trigger is left")
            #expect(try ledgerIDs(database) == ["app/0001_base"])
            #expect(
                try database.withConnection { try $0.query("SELECT count(*) AS n FROM tandem_backfills")[0] }
                    .decode(Int.self, "n") == 0)

            let again = try back.migrate()
            #expect(again.applied.map(\.description) == ["app/0002_rename"])
            #expect(again.runs.first?.step.operations.allSatisfy { !$0.isAlreadyApplied } == true, "from the start")
            let filled = try database.withConnection { connection in
                try connection.query("SELECT count(*) AS n FROM app_doc WHERE content = body")[0].decode(Int.self, "n")
            }
            #expect(filled == 100)
        }
    }

    /// An operation stopped part-way other than an expand step (here a raw statement whose
    /// index build a kill would leave half done, recorded by hand) makes `--to` refuse, naming
    /// it, and undo nothing. PostgreSQL only: on SQLite a step without a backfill is one
    /// transaction, so no other operation can stop part-way.
    @Test func anOperationStoppedPartWayIsRefusedByName() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": Self.files["app/0001_base.yaml"]!,
            "app/0002_index.yaml": compatibleFile(
                """
                  - add_column: {table: app_doc, column: {name: extra, type: text}}
                  - sql: {up: "CREATE INDEX CONCURRENTLY app_doc_a ON app_doc (extra); CREATE INDEX CONCURRENTLY app_doc_b ON app_doc (body)", down: "DROP INDEX app_doc_a; DROP INDEX app_doc_b", phase: compatible}

                """, release: "1.1.0"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate()
        try await test.database.withConnection { connection in
            // What a run killed between the two builds leaves: the ledger row gone, the progress
            // record of operation 1 at one statement of two.
            try MigrationLedger.remove(MigrationID(component: "app", number: 2, name: "index"), on: connection)
            try connection.execute("DROP INDEX app_doc_b")
            try MigrationProgress.record(
                try #require(try scratch.set().migrations.last), .apply, operation: 0,
                summary: "add_column app_doc.extra",
                done: 1, total: 1, on: connection)
            try MigrationProgress.record(
                try #require(try scratch.set().migrations.last), .apply, operation: 1, summary: "sql (compatible)",
                done: 1, total: 2, on: connection)
        }
        let refusal = try #require(
            thrownError { try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001"))) }
                as? MigrationRefusal)
        #expect(refusal.description.contains("0002_index.yaml:5: sql (compatible) stopped part-way"), "\(refusal)")
        #expect(try Self.columns(test.database) == ["id", "body", "extra"], "nothing was undone")
    }

    static func columns(_ database: Database) throws -> [String]? {
        try database.withConnection { try $0.introspectTable("app_doc") }?.columns.map(\.name)
    }
}
