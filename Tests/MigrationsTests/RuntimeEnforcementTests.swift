import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Migrator enforces lint's rules and the gates itself, and creates Tandem's tables")
struct RuntimeEnforcementTests {
    @Test(
        "a set from MigrationLoader with a lint error is refused by migrate and plan",
        arguments: TestDatabaseKind.allCases)
    func lintErrorsAreRefusedWithoutLint(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}, {name: old, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_sneaky.yaml": compatibleFile(
                "  - add_column: {table: app_base, column: {name: label, type: text}}\n"
                    + "  - drop_column: {table: app_base, column: old}\n"),
            "app/0003_orphan.yaml": "release: \"1.1.0\"\nphase: breaking\nrequires: {app: \"1.1.0\"}\noperations:\n"
                + "  - complete_rename: {table: app_base, from: old, to: fresh}\n",
        ])
        defer { scratch.remove() }
        let set = try MigrationLoader.load(directory: scratch.path)
        try await withTestDatabase(kind) { database in
            let before = try DatabaseSnapshot(database)
            let migrator = Migrator(database: database, migrations: set, settings: quickSettings)
            for request in [MigrationRequest(), MigrationRequest(breaking: true)] {
                let errors = try #require(thrownError { try migrator.migrate(request) } as? MigrationFileErrors)
                let sneaky = try #require(errors.errors.first { $0.path.hasSuffix("app/0002_sneaky.yaml") })
                #expect(sneaky.line == 5)
                #expect(sneaky.message.contains("drop_column app_base.old is breaking in a compatible migration"))
                #expect(errors.errors.contains { $0.path.hasSuffix("app/0003_orphan.yaml") && $0.line == 5 })
                #expect(thrownError { _ = try migrator.plan(request) } is MigrationFileErrors)
            }
            #expect(try DatabaseSnapshot(database) == before)
            #expect(try DatabaseSnapshot(database).schema.tables.isEmpty)
        }
    }

    @Test(
        "a breaking migration built in code without 'requires' is refused, not run past the gate",
        arguments: TestDatabaseKind.engines)
    func breakingMigrationWithoutRequiresIsRefused(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}, {name: old, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_drop.yaml": "release: \"2.0.0\"\nphase: breaking\nrequires: {app: \"2.0.0\"}\noperations:\n"
                + "  - drop_column: {table: app_base, column: old}\n",
        ])
        defer { scratch.remove() }
        let loaded = try scratch.set()
        let withoutRequires = try MigrationSet(
            loaded.migrations.map {
                Migration(
                    id: $0.id, path: $0.path, release: $0.release, phase: $0.phase, dependsOn: $0.dependsOn,
                    requires: [:], operations: $0.operations, checksum: $0.checksum)
            })
        try await withTestDatabase(kind) { database in
            try Migrator(database: database, migrations: loaded, settings: quickSettings).migrate(
                MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try register("api", versions: ["app": "1.0.0"], on: database, pid: 10)
            let migrator = Migrator(database: database, migrations: withoutRequires, settings: quickSettings)
            let errors = try #require(
                thrownError { try migrator.migrate(MigrationRequest(breaking: true)) } as? MigrationFileErrors)
            #expect(errors.errors.map(\.path).contains { $0.hasSuffix("app/0002_drop.yaml") })
            #expect(errors.errors.contains { $0.message.contains("'requires'") })
            #expect(try ledgerIDs(database) == ["app/0001_base"])
            let columns = try DatabaseSnapshot(database).schema.tables.first { $0.name == "app_base" }?.columns
            #expect(columns?.map(\.name) == ["id", "old"])
        }
    }

    @Test(
        "a process of the old release that starts during a breaking migration's backfill stops its drop",
        arguments: TestDatabaseKind.engines)
    func gateIsCheckedAgainAfterABackfill(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_item, columns: [{name: id, type: bigint}, {name: n, type: bigint}, {name: old, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_drop.yaml": "release: \"2.0.0\"\nphase: breaking\nrequires: {app: \"2.0.0\"}\noperations:\n"
                + "  - backfill: {table: app_item, set: {n: \"1\"}, batch_size: 5}\n"
                + "  - drop_column: {table: app_item, column: old}\n",
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let set = try scratch.set()
            try Migrator(database: database, migrations: set, settings: quickSettings).migrate(
                MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try database.withConnection { connection in
                for id in 1...20 { try connection.execute("INSERT INTO app_item (id, old) VALUES ($1, 'x')", id) }
            }
            try register("api", versions: ["app": "2.0.0"], on: database, pid: 10)
            var migrator = Migrator(database: database, migrations: set, settings: quickSettings)
            migrator.backfillProgress = { _ in
                // A process of the old release starts while the backfill runs.
                try? register("worker", versions: ["app": "1.0.0"], on: database, pid: 4343)
            }
            let refusal = try #require(
                thrownError { try migrator.migrate(MigrationRequest(breaking: true)) } as? MigrationRefusal)
            guard case .gate(let blockers) = refusal.reason else {
                Issue.record("expected a gate refusal, got \(refusal.reason)")
                return
            }
            // Each batch's progress registered the worker once more.
            #expect(Set(blockers.map(\.process.pid)) == [4343])
            #expect(try ledgerIDs(database) == ["app/0001_base"])
            let columns = try DatabaseSnapshot(database).schema.tables.first { $0.name == "app_item" }?.columns
            #expect(columns?.map(\.name) == ["id", "n", "old"])
        }
    }

    // PostgreSQL only by nature: there a concurrent index build runs outside the step's
    // transaction, so a process can start between it and the drop; SQLite runs both in one
    // transaction, during which no process can write its registration.
    @Test("a process of the old release that starts while a breaking migration builds an index stops its drop")
    func gateIsCheckedAgainAfterAConcurrentIndexBuild() async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_item, columns: [{name: id, type: bigint}, {name: n, type: bigint}, {name: old, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_drop.yaml": "release: \"2.0.0\"\nphase: breaking\nrequires: {app: \"2.0.0\"}\noperations:\n"
                + "  - create_index: {table: app_item, columns: [n]}\n"
                + "  - drop_column: {table: app_item, column: old}\n",
        ])
        defer { scratch.remove() }
        try await withTestDatabase(.postgres) { database in
            let set = try scratch.set()
            try Migrator(database: database, migrations: set, settings: quickSettings).migrate(
                MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try register("api", versions: ["app": "2.0.0"], on: database, pid: 10)
            try register("worker", versions: ["app": "2.0.0"], on: database, pid: 4343)
            // The worker is replaced by one of the old release while the index is being built.
            try database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE FUNCTION app_old_worker_starts() RETURNS event_trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        UPDATE tandem_components SET versions = '{"app": "1.0.0"}' WHERE pid = 4343;
                    END $$;
                    CREATE EVENT TRIGGER app_old_worker_starts ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
                        EXECUTE FUNCTION app_old_worker_starts();
                    """)
            }
            defer {
                _ = try? database.withConnection { connection in
                    try connection.executeScript("DROP EVENT TRIGGER IF EXISTS app_old_worker_starts")
                }
            }
            let refusal = try #require(
                thrownError {
                    try Migrator(database: database, migrations: set, settings: quickSettings).migrate(
                        MigrationRequest(breaking: true))
                } as? MigrationRefusal)
            guard case .gate(let blockers) = refusal.reason else {
                Issue.record("expected a gate refusal, got \(refusal.reason)")
                return
            }
            #expect(blockers.map(\.process.pid) == [4343])
            #expect(try ledgerIDs(database) == ["app/0001_base"])
            let table = try DatabaseSnapshot(database).schema.tables.first { $0.name == "app_item" }
            #expect(table?.columns.map(\.name) == ["id", "n", "old"])
            // The index was built: the gate stopped the step between its two operations.
            #expect(table?.indexes.map(\.columns) == [["n"]])
        }
    }

    @Test(
        "a process of the old release that registers during a run stops the breaking step, the compatible one stays",
        arguments: TestDatabaseKind.engines)
    func gateIsCheckedImmediatelyBeforeEachBreakingStep(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}, {name: old, type: text}], primary_key: [id]}\n"
            ),
            "app/0002_drop.yaml": "release: \"1.1.0\"\nphase: breaking\nrequires: {app: \"1.1.0\"}\noperations:\n"
                + "  - drop_column: {table: app_base, column: old}\n",
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            try register("api", versions: ["app": "1.1.0"], on: database, pid: 10)
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            let refusal = try #require(
                thrownError {
                    try migrator.migrate(MigrationRequest(breaking: true)) { run in
                        guard run.step.migration.phase == .compatible else { return }
                        // A process of the old release starts while the run is between its steps.
                        try? register("worker", versions: ["app": "1.0.0"], on: database, pid: 4343)
                    }
                } as? MigrationRefusal)
            guard case .gate(let blockers) = refusal.reason else {
                Issue.record("expected a gate refusal, got \(refusal.reason)")
                return
            }
            #expect(blockers.map(\.process.pid) == [4343])
            #expect(blockers.map(\.migration.description) == ["app/0002_drop"])
            #expect(refusal.message.contains("worker on web-worker (pid 4343)"))
            #expect(refusal.message.contains("Applied before the gate: app/0001_base; they stay."))
            #expect(!refusal.message.contains("Nothing was applied"))
            #expect(try ledgerIDs(database) == ["app/0001_base"])
            let columns = try DatabaseSnapshot(database).schema.tables.first { $0.name == "app_base" }?.columns
            #expect(columns?.map(\.name) == ["id", "old"])
        }
    }

    @Test(
        "migrate creates tandem_components with the ledger, before any heartbeat", arguments: TestDatabaseKind.allCases)
    func migrateCreatesTheComponentsTable(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let tables = { try DatabaseSnapshot(database).schema.tables.map(\.name) }
            #expect(try !tables().contains(ComponentRegistry.tableName))
            try Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings).migrate()
            #expect(try tables().contains(ComponentRegistry.tableName))
            #expect(try tables().contains(MigrationLedger.tableName))
            let columns = try DatabaseSnapshot(database).schema.tables.first { $0.name == ComponentRegistry.tableName }?
                .columns.map(\.name)
            #expect(columns == ["id", "kind", "host", "pid", "versions", "started_at", "last_heartbeat"])
            let count = try database.withConnection { connection in
                try connection.query("SELECT count(*) FROM \(quoteIdentifier(ComponentRegistry.tableName))")[0]
                    .decode(Int.self, at: 0)
            }
            #expect(count == 0)
        }
    }
}
