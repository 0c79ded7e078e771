import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Migrator refuses changed files and leaves nothing half-applied")
struct RuntimeSafetyTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func changedAppliedFileIsRefusedByName(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations.fixtures()
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            let before = try DatabaseSnapshot(database)
            let path = scratch.path + "/shop/0002_columns.yaml"
            try scratch.write(
                "shop/0002_columns.yaml", try String(contentsOfFile: path, encoding: .utf8) + "# edited\n")
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            for request in [MigrationRequest(), MigrationRequest(breaking: true)] {
                let refusal = try #require(thrownError { try migrator.migrate(request) } as? MigrationRefusal)
                #expect(refusal.message.contains(path))
                guard case .changedFiles(let changed) = refusal.reason else {
                    Issue.record("expected a changed-file refusal, got \(refusal.reason)")
                    continue
                }
                #expect(changed.map(\.description) == ["shop/0002_columns"])
                #expect(refusal.message.contains("shop/0002_columns"))
                #expect(!refusal.message.contains("shop/0001_tables"))
            }
            #expect(thrownError { _ = try migrator.plan() } is MigrationRefusal)
            #expect(try DatabaseSnapshot(database) == before)
            let files = try migrator.status().applied.map { "\($0.row.identifier) \($0.file)" }
            #expect(
                files.sorted()
                    == RuntimeFixtures.compatible.map { $0 == "shop/0002_columns" ? "\($0) changed" : "\($0) ok" }
                    .sorted())
        }
    }

    @Test("a failing statement mid-file leaves schema and ledger as they were", arguments: TestDatabaseKind.allCases)
    func failingStatementRollsTheMigrationBack(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}], primary_key: [id]}\n"),
            "app/0002_broken.yaml": compatibleFile(
                """
                  - create_table: {name: app_new, columns: [{name: id, type: bigint}], primary_key: [id]}
                  - create_index: {table: app_new, columns: [id], name: app_new_id_idx}
                  - add_column: {table: app_base, column: {name: label, type: text}}
                  - sql: {up: "INSERT INTO app_missing (id) VALUES (1)", down: "SELECT 1", phase: compatible}

                """),
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            let before = try DatabaseSnapshot(database)
            let failure = try #require(thrownError { try migrator.migrate() } as? MigrationFailure)
            #expect(failure.migration.description == "app/0002_broken")
            #expect(failure.line == 7)
            #expect(failure.leftApplied.isEmpty)
            let underlying = try #require(failure.underlying as? DatabaseError)
            #expect(underlying.statement == "INSERT INTO app_missing (id) VALUES (1)")
            #expect(underlying.message.contains("app_missing"))
            #expect(failure.description.contains("INSERT INTO app_missing (id) VALUES (1)"))
            #expect(failure.description.contains("Nothing of app/0002_broken is applied"))
            #expect(try DatabaseSnapshot(database) == before)
        }
    }

    @Test("a step that hits the DDL lock timeout is retried until the lock is free (PostgreSQL only: lock_timeout)")
    func lockTimeoutIsRetried() async throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}], primary_key: [id]}\n"),
            "app/0002_column.yaml": compatibleFile(
                "  - add_column: {table: app_base, column: {name: label, type: text}}\n"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let holder = try Database(test.url, maximumConnections: 1)
        defer { holder.close() }

        // Held far longer than every attempt (about 0.75 s, with margin for a loaded machine):
        // the run fails, rolled back, with the lock timeout.
        let failure = try await holdingTableLock(holder, for: 4) {
            thrownError { try migrator.migrate() } as? MigrationFailure
        }
        #expect((failure?.underlying as? DatabaseError)?.isLockTimeout == true)
        #expect((failure?.lockWaits.attempts ?? 0) >= 2)
        #expect(failure?.description.contains("--ddl-retry-for") == true)
        #expect(try ledgerIDs(test.database) == ["app/0001_base"])

        // Released during the retries: the run succeeds.
        let patient = Migrator(
            database: test.database, migrations: try scratch.set(),
            settings: MigrationSettings(
                ddlLockTimeout: .milliseconds(100), ddlRetryFor: .seconds(20), retryDelay: .milliseconds(100)))
        let report = try await holdingTableLock(holder, for: 0.4) { try patient.migrate() }
        #expect(report.applied.map(\.description) == ["app/0002_column"])
        let locks = try #require(report.runs.first?.locks)
        #expect(locks.attempts >= 2)
        #expect(locks.waited >= .milliseconds(100))
    }

    /// Holds an ACCESS EXCLUSIVE lock on app_base from another session for `seconds`, while `body` runs.
    private func holdingTableLock<T: Sendable>(
        _ holder: Database, for seconds: Double, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let locked = DispatchSemaphore(value: 0)
        async let held: Void = onThread {
            try holder.withConnection { connection in
                try connection.transaction {
                    try connection.execute("LOCK TABLE app_base IN ACCESS EXCLUSIVE MODE")
                    locked.signal()
                    Thread.sleep(forTimeInterval: seconds)
                }
            }
        }
        try await onThread { locked.wait() }
        let result = try await onThread(body)
        try await held
        return result
    }
}
