import Foundation
import Logging
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("A migration applied in part is recorded, reported and resumed, never called bad input")
struct RuntimeResumeTests {
    /// A unique concurrent build fails on duplicates and undoing the operation before it fails
    /// too (its `down` is wrong): what stays is recorded, the build's INVALID index is dropped,
    /// and once the data is fixed the next run resumes at the build instead of failing on what
    /// exists. PostgreSQL only: on SQLite a step without a backfill is one transaction, so it
    /// cannot stop half-applied.
    @Test func aFailureThatCannotBeUndoneIsResumedAfterWhatStays() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_big, columns: [{name: id, type: bigint}, {name: code, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_unique.yaml": compatibleFile(
                """
                  - add_column: {table: app_big, column: {name: extra, type: text}}
                  - sql: {up: "CREATE TABLE app_side (id bigint)", down: "DROP TABLE app_side_typo", phase: compatible}
                  - sql: {up: "CREATE UNIQUE INDEX CONCURRENTLY app_big_code_key ON app_big (code)", down: "DROP INDEX app_big_code_key", phase: compatible}

                """),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try await test.database.withConnection { connection in
            try connection.execute(
                "INSERT INTO app_big (id, code) SELECT g, 'c' || (g % 5) FROM generate_series(1, 20) g")
        }
        let failure = thrownError { try migrator.migrate() }.map { "\($0)" }
        let message = try #require(failure)
        #expect(message.contains("add_column"))
        #expect(!message.contains("Nothing of app/0002_unique is applied"))
        #expect(message.contains("resumes"))

        let status = try migrator.status()
        let partial = try #require(status.partlyApplied.first)
        #expect(partial.migration == "app/0002_unique")
        #expect(partial.file == "ok")
        #expect(partial.operations.map(\.operation) == [0, 1])
        #expect(partial.operations.filter { !$0.isComplete }.isEmpty)
        #expect(try status.json().contains("\"partly_applied\""))
        let invalid = try await test.database.withConnection { connection in
            try connection.query(
                """
                SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND n.nspname = current_schema()
                """)[0].decode(Int.self, at: 0)
        }
        #expect(invalid == 0, "the failed build's INVALID index was dropped")

        try await test.database.withConnection { connection in
            try connection.execute("DELETE FROM app_big WHERE id > 5")
        }
        let report = try migrator.migrate()
        #expect(report.applied.map(\.description) == ["app/0002_unique"])
        #expect(report.runs.first?.step.operations.map(\.isAlreadyApplied) == [true, true, false])
        #expect(try ledgerIDs(test.database) == ["app/0001_base", "app/0002_unique"])
        #expect(try migrator.status().partlyApplied.isEmpty)
        let valid = try await test.database.withConnection { connection in
            try connection.query(
                "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'app_big_code_key' AND i.indisvalid"
            )[0].decode(Int.self, at: 0)
        }
        #expect(valid == 1)
    }

    /// A `complete_rename` whose `DROP COLUMN` fails (an event trigger of the operator's refuses
    /// it: views, foreign keys and triggers on the old column are refused before anything runs)
    /// stays applied up to its validated NOT NULL, which has no inverse; once the event trigger is gone the
    /// next run does the rest (the index carried over, the old column dropped), though the contract
    /// step's primitives, worked out from the live schema, are fewer by then. PostgreSQL only: on
    /// SQLite the contract step is one transaction, rolled back whole.
    @Test func aContractStepStoppedAtItsDropIsFinishedOnceItCanBe() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_acct, columns: [{name: id, type: bigint}, {name: body, type: text, null: false}], primary_key: [id]}\n"
            ),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: app_acct, from: body, to: content}\n", release: "1.1.0"),
            "app/0003_complete.yaml":
                "release: \"1.2.0\"\nphase: breaking\nrequires: {app: \"1.1.0\"}\noperations:\n  - complete_rename: {table: app_acct, from: body, to: content}\n",
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate()
        let guardName = try await test.database.withConnection { connection -> String in
            try connection.execute("CREATE INDEX app_acct_body_idx ON app_acct (body)")
            let schema = try connection.query("SELECT current_schema()")[0].decode(String.self, at: 0)
            let guardName = quoteIdentifier("app_keep_body_" + schema)
            // An operator's guard the contract step cannot know of: an event trigger (database-wide,
            // so it names this test's schema) that refuses to drop app_acct.body.
            try connection.executeScript(
                """
                CREATE FUNCTION app_keep_body() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects()
                             WHERE object_type = 'table column' AND schema_name = '\(schema)'
                               AND object_identity = '\(schema).app_acct.body') THEN
                    RAISE EXCEPTION 'app_acct.body is still needed';
                  END IF;
                END $$;
                CREATE EVENT TRIGGER \(guardName) ON sql_drop EXECUTE FUNCTION app_keep_body();
                """)
            return guardName
        }
        let failure = try #require(
            thrownError { try migrator.migrate(MigrationRequest(breaking: true)) } as? MigrationFailure)
        #expect(failure.operation == "drop_column app_acct.body")
        #expect(!failure.leftApplied.isEmpty)
        try await test.database.withConnection { connection in
            try connection.execute("DROP EVENT TRIGGER \(guardName)")
        }
        let report = try migrator.migrate(MigrationRequest(breaking: true))
        #expect(report.applied.map(\.description) == ["app/0003_complete"])
        let table = try await test.database.withConnection { try $0.introspectSchema() }.table(named: "app_acct")
        #expect(table?.columns.map(\.name) == ["id", "content"])
        #expect(table?.column(named: "content")?.isNullable == false)
        #expect(table?.indexes.map(\.columns) == [["content"]])
    }

    /// Editing a `change_type` file while its backfill is half done changes what the rest of the
    /// migration would do (the trigger's expression), though not the backfill's own definition:
    /// the next run is refused (exit 3) and `status` flags the file; restored, it resumes.
    @Test(arguments: TestDatabaseKind.engines)
    func anEditedChangeTypeIsRefusedMidBackfill(_ kind: TestDatabaseKind) async throws {
        let original = compatibleFile(
            "  - change_type: {table: app_item, column: size, to: size_text, type: text, up: \"CAST(size AS TEXT)\", down: \"CAST(size_text AS BIGINT)\"}\n"
        )
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_item, columns: [{name: id, type: bigint}, {name: size, type: bigint}], primary_key: [id]}\n"
            ),
            "app/0002_size.yaml": original,
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            var settings = quickSettings
            settings.backfill = BackfillSettings(batchSize: 10)
            var migrator = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try database.withConnection { connection in
                for id in 1...50 {
                    try connection.execute(
                        "INSERT INTO app_item (id, size) VALUES (\(connection.dialect.placeholder(1)), \(connection.dialect.placeholder(2)))",
                        [.integer(Int64(id)), .integer(Int64(id * 10))])
                }
            }
            let interruption = BackfillInterruption()
            migrator.interruption = interruption
            migrator.backfillProgress = { if $0.batches == 1 { interruption.request() } }
            #expect(thrownError { try migrator.migrate() } is BackfillInterrupted)

            try scratch.write(
                "app/0002_size.yaml", original.replacingOccurrences(of: "CAST(size AS TEXT)", with: "'x' || size"))
            let edited = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            let refusal = try #require(thrownError { try edited.migrate() } as? MigrationRefusal)
            guard case .startedFileChanged(let ids) = refusal.reason else {
                Issue.record("expected a refusal for the edited file, got \(refusal.reason)")
                return
            }
            #expect(ids.map(\.description) == ["app/0002_size"])
            #expect(refusal.message.contains(scratch.path + "/app/0002_size.yaml"))
            #expect(try edited.status().partlyApplied.map(\.file) == ["changed"])
            #expect(try ledgerIDs(database) == ["app/0001_base"])

            try scratch.write("app/0002_size.yaml", original)
            let restored = Migrator(database: database, migrations: try scratch.set(), settings: settings)
            #expect(try restored.status().partlyApplied.map(\.file) == ["ok"])
            let report = try restored.migrate()
            #expect(report.applied.map(\.description) == ["app/0002_size"])
            #expect(try restored.status().partlyApplied.isEmpty)
            let texts = try database.withConnection { connection in
                try connection.query("SELECT size_text FROM app_item WHERE id = 7")[0].decode(String.self, at: 0)
            }
            #expect(texts == "70")
        }
    }

    /// A stop request outside a backfill stops at the next safe point: on PostgreSQL between
    /// the migration's transaction and its concurrent index build, recorded so the next run
    /// resumes there; on SQLite, where the whole migration is one transaction, after it.
    @Test(arguments: TestDatabaseKind.engines)
    func aStopRequestEndsTheRunAtTheNextSafePoint(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_note, columns: [{name: id, type: bigint}, {name: body, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_more.yaml": compatibleFile(
                """
                  - add_column: {table: app_note, column: {name: extra, type: text}}
                  - create_index: {table: app_note, columns: [extra]}
                  - add_column: {table: app_note, column: {name: other, type: text}}

                """),
            "app/0003_last.yaml": compatibleFile(
                "  - add_column: {table: app_note, column: {name: last, type: text}}\n"),
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            var migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            let interruption = BackfillInterruption()
            migrator.interruption = interruption
            migrator.logger = Logger(label: "test") { _ in RequestOnApplying(interruption: interruption) }
            let stopped = try #require(thrownError { try migrator.migrate() } as? MigrationInterrupted)
            let status = try migrator.status()
            if kind == .postgres {
                #expect(stopped.next.description == "app/0002_more")
                #expect(stopped.within == 5)
                #expect(try ledgerIDs(database) == ["app/0001_base"])
                #expect(status.partlyApplied.first?.operations.map(\.operation) == [0])
            } else {
                #expect(stopped.next.description == "app/0003_last")
                #expect(stopped.within == nil)
                #expect(try ledgerIDs(database) == ["app/0001_base", "app/0002_more"])
                #expect(status.partlyApplied.isEmpty)
            }
            let rest = try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
                .migrate()
            #expect(rest.applied.last?.description == "app/0003_last")
            #expect(try ledgerIDs(database) == ["app/0001_base", "app/0002_more", "app/0003_last"])
            let columns = try database.withConnection { try $0.introspectSchema() }.tables
                .first { $0.name == "app_note" }?.columns.map(\.name)
            #expect(columns == ["id", "body", "extra", "other", "last"])
        }
    }
}

/// A log handler that requests a stop when the migrator logs that it starts applying `app/0002`.
private struct RequestOnApplying: LogHandler {
    let interruption: BackfillInterruption
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if event.message.description == "applying app/0002_more" { interruption.request() }
    }
}
