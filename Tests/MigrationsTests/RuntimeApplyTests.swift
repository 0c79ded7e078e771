import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Migrator applies migrations in order and records them in the ledger")
struct RuntimeApplyTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func appliesCompatibleMigrationsAndHoldsBreakingOnes(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            let report = try migrator.migrate()
            #expect(report.applied.map(\.description) == RuntimeFixtures.compatible)
            #expect(report.held.map(\.migration.id.description) == [RuntimeFixtures.breaking])
            #expect(report.pendingBreaking == 1)
            #expect(try ledgerIDs(database) == RuntimeFixtures.compatible)

            let snapshot = try DatabaseSnapshot(database)
            #expect(
                snapshot.applicationTables == ["audit_log", "shop_book", "shop_item", "shop_order", "shop_tag"])
            let item = try #require(snapshot.schema.table(named: "shop_item"))
            #expect(item.column(named: "note") != nil)
            #expect(item.indexes.contains { $0.name == "shop_item_title_idx" })
            #expect(
                try database.withConnection { try $0.query("SELECT name FROM shop_tag")[0].decode(String.self, at: 0) }
                    == "new")

            let rows = try database.withConnection { try MigrationLedger.applied(on: $0) }
            let set = try RuntimeFixtures.set()
            for row in rows {
                let migration = try #require(set.migrations.first { $0.id.description == row.identifier })
                #expect(row.checksum == migration.checksum)
                #expect(row.phase == migration.phase)
                #expect(row.release == migration.release.description)
                #expect(row.pid == Int(ProcessInfo.processInfo.processIdentifier))
                #expect(row.host == ProcessInfo.processInfo.hostName)
                #expect(row.durationMilliseconds >= 0)
            }

            let again = try migrator.migrate()
            #expect(again.steps.isEmpty)
            #expect(again.pendingBreaking == 1)
            #expect(try DatabaseSnapshot(database) == snapshot)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func breakingAppliesBreakingMigrationsWhenNoProcessBlocks(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            let report = try migrator.migrate(MigrationRequest(breaking: true))
            #expect(report.applied.map(\.description) == RuntimeFixtures.compatible + [RuntimeFixtures.breaking])
            #expect(report.held.isEmpty)
            let item = try #require(try DatabaseSnapshot(database).schema.table(named: "shop_item"))
            #expect(item.column(named: "note") == nil)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func componentAppliesItsMigrationsAndWhatTheyDependOn(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            let report = try migrator.migrate(MigrationRequest(component: "audit"))
            #expect(report.applied.map(\.description) == ["shop/0001_tables", "shop/0002_columns", "audit/0001_log"])
            let unknown = thrownError { try migrator.migrate(MigrationRequest(component: "nope")) }
            #expect((unknown as? MigrationRequestError)?.message.contains("no migrations of component nope") == true)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func toForwardsAppliesUpToAndIncludingTheTarget(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            let report = try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0002")))
            #expect(report.applied.map(\.description) == ["shop/0001_tables", "shop/0002_columns"])
            #expect(try ledgerIDs(database) == ["shop/0001_tables", "shop/0002_columns"])
            let missing = thrownError {
                try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0042")))
            }
            #expect((missing as? MigrationRequestError)?.message == "--to shop/0042: there is no such migration")
        }
    }

    @Test("a run with nothing to do reads the ledger once and nothing else", arguments: TestDatabaseKind.allCases)
    func noOpRunIsOneQuery(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            try migrator.migrate()
            log.reset()
            #expect(try migrator.migrate().steps.isEmpty)
            #expect(log.statements.count == 1)
            #expect(log.statements.first?.contains("FROM \"tandem_migrations\"") == true)

            log.reset()
            #expect(
                try MigrationDirectoryCheck.appliedCount(directory: RuntimeFixtures.folder, database: database) == nil)
            let scratch = try ScratchMigrations.fixtures()
            defer { scratch.remove() }
            try FileManager.default.removeItem(atPath: scratch.path + "/shop/0006_drop_title.yaml")
            #expect(try MigrationDirectoryCheck.appliedCount(directory: scratch.path, database: database) == 6)
            #expect(log.statements.count == 2)
        }
    }

    @Test("the runner runs exactly the SQL the plan shows", arguments: TestDatabaseKind.allCases)
    func runsWhatThePlanShows(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            let planned = try migrator.plan().steps.flatMap(\.statements).map(\.sql)
            log.reset()
            try migrator.migrate()
            let executed = log.statements
            var position = executed.startIndex
            for statement in planned {
                let found = try #require(executed[position...].firstIndex(of: statement), "not run: \(statement)")
                position = found + 1
            }
        }
    }
}
