import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("migrate --to backwards undoes compatible migrations, or refuses before undoing anything")
struct RuntimeRollbackTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func undoesNewerMigrationsInReverseApplyOrder(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "audit/0001_log")))
            let early = try DatabaseSnapshot(database)
            try database.withConnection { connection in
                try connection.execute(
                    "INSERT INTO shop_item (id, pulp_type, title, stock) VALUES ('8d0f4a52-6f4e-4a55-9a43-4a9d6cbd0c11', 'shop.item', 'kept', 3)"
                )
            }
            try migrator.migrate()
            #expect(try ledgerIDs(database).count == RuntimeFixtures.compatible.count)

            let report = try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0002")))
            #expect(
                report.undone.map(\.description) == ["shop/0005_raw", "shop/0004_constraints", "shop/0003_indexes"])
            #expect(report.steps.allSatisfy { $0.direction == .undo })
            let after = try DatabaseSnapshot(database)
            #expect(after.applicationTables == early.applicationTables)
            #expect(after.schema.table(named: "shop_item") == early.schema.table(named: "shop_item"))
            #expect(after.schema.table(named: "shop_order") == early.schema.table(named: "shop_order"))
            #expect(Set(after.ledger) == Set(early.ledger))
            let title = try database.withConnection {
                try $0.query("SELECT title FROM shop_item")[0].decode(String.self, at: 0)
            }
            #expect(title == "kept")

            let again = try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0001")))
            #expect(again.undone.map(\.description) == ["audit/0001_log", "shop/0002_columns"])
            #expect(try ledgerIDs(database) == ["shop/0001_tables"])
            #expect(try database.withConnection { try $0.introspectTable("shop_item")?.column(named: "stock") } == nil)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aBreakingMigrationInTheWayIsRefusedByName(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(breaking: true))
            let before = try DatabaseSnapshot(database)
            let refusal = try #require(
                thrownError { try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0004"))) }
                    as? MigrationRefusal)
            #expect(refusal.message.hasPrefix("cannot migrate back to shop/0004_constraints: nothing was undone"))
            #expect(
                refusal.message.contains(
                    "shop/0006_drop_title.yaml (shop/0006_drop_title): breaking migrations cannot be undone"))
            #expect(refusal.message.contains("drop_column shop_item.note at line 5"))
            #expect(refusal.reason == .rollbackImpossible(["shop/0006_drop_title"]))
            #expect(try DatabaseSnapshot(database) == before)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func sqlWithoutDownIsRefusedWithItsLine(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_base, columns: [{name: id, type: bigint}], primary_key: [id]}\n"),
            "app/0002_more.yaml": compatibleFile("  - add_column: {table: app_base, column: {name: a, type: text}}\n"),
            "app/0003_raw.yaml": compatibleFile("  - sql: {up: \"UPDATE app_base SET a = 'x'\", phase: compatible}\n"),
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate()
            let refusal = thrownError {
                try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            }
            let message = try #require(refusal as? MigrationRefusal).message
            #expect(
                message.contains(
                    "\(scratch.path)/app/0003_raw.yaml:4: sql (compatible) cannot be undone: raw sql without 'down'"))
            #expect(!message.contains("0002_more"))
            #expect(try ledgerIDs(database).count == 3)
        }
    }
}
