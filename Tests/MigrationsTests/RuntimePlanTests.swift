import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("migrate --plan shows the steps and SQL and changes nothing")
struct RuntimePlanTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func planChangesNothing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: quickSettings)
            try register("api", versions: ["shop": "1.0.0"], on: database)
            let empty = try DatabaseSnapshot(database)
            let plan = try migrator.plan(MigrationRequest(breaking: true))
            _ = plan.sqlScript()
            #expect(try DatabaseSnapshot(database) == empty)
            #expect(
                plan.steps.map(\.migration.id.description) == RuntimeFixtures.compatible + [RuntimeFixtures.breaking])
            #expect(plan.blockingSteps.map(\.migration.description) == [RuntimeFixtures.breaking])

            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "shop/0002")))
            let partly = try DatabaseSnapshot(database)
            for request in [
                MigrationRequest(), MigrationRequest(breaking: true), MigrationRequest(component: "audit"),
                MigrationRequest(target: MigrationTarget(parsing: "shop/0001")),
            ] {
                _ = try migrator.plan(request).sqlScript()
            }
            #expect(try DatabaseSnapshot(database) == partly)
            let back = try migrator.plan(MigrationRequest(target: MigrationTarget(parsing: "shop/0001")))
            #expect(back.steps.map(\.direction) == [.undo])
            #expect(
                back.steps.first?.operations.map(\.operation.name).sorted() == [
                    "drop_column", "drop_column", "set_default", "set_not_null",
                ])
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func sqlScriptIsStatementsWithTheRunnersTransactionsAndTimeouts(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let settings = MigrationSettings(
                ddlLockTimeout: .milliseconds(150), concurrentWait: .seconds(90), statementTimeout: .seconds(30))
            let plan = try Migrator(database: database, migrations: try RuntimeFixtures.set(), settings: settings)
                .plan()
            let script = plan.sqlScript()
            #expect(script.hasSuffix(";\n"))
            let statements = plan.steps.flatMap(\.statements).map { $0.sql + ";\n" }
            var rest = Substring(script)
            for statement in statements {
                let range = try #require(rest.range(of: statement), "missing: \(statement)")
                rest = rest[range.upperBound...]
            }
            #expect(!script.contains(MigrationLedger.tableName))
            if kind == .postgres {
                #expect(script.hasPrefix("SET lock_timeout = '150ms';\nSET statement_timeout = 0;\n"))
                #expect(
                    script.contains(
                        "BEGIN;\nSET LOCAL lock_timeout = '150ms';\nSET LOCAL statement_timeout = '30000ms';\n"))
                #expect(
                    script.contains(
                        "-- shop/0003_indexes (compatible)\nSET lock_timeout = '90000ms';\nCREATE INDEX CONCURRENTLY \"shop_item_title_idx\""
                    ))
                #expect(
                    script.contains(
                        "BEGIN;\nSET LOCAL lock_timeout = '90000ms';\nALTER TABLE \"shop_order\" VALIDATE CONSTRAINT \"shop_order_item_fkey\";\nCOMMIT;\n"
                    ))
                // The runner takes a foreign key's parent before its child, and the script says so.
                #expect(
                    script.contains(
                        "LOCK TABLE \"shop_item\" IN SHARE ROW EXCLUSIVE MODE;\nALTER TABLE \"shop_order\" ADD CONSTRAINT \"shop_order_item_fkey\""
                    ))
            } else {
                #expect(script.hasPrefix("-- shop/0001_tables (compatible)\nBEGIN IMMEDIATE;\n"))
                #expect(!script.contains("CONCURRENTLY"))
            }
        }
    }

    @Test(
        "the plan names the operations whose writer wait the lock timeout cannot bound",
        arguments: TestDatabaseKind.allCases)
    func unboundedWritersWaitsAreNamed(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let plan = try Migrator(database: database, migrations: try RuntimeFixtures.set()).plan()
            let named = plan.steps.flatMap { step in
                step.operations.compactMap { planned in
                    planned.unboundedWriterWait(on: plan.dialect).map { _ in
                        "\(step.migration.id.name) \(planned.operation.name)"
                    }
                }
            }
            #expect(named.contains("raw sql"))
            #expect(!named.contains { $0.hasSuffix("create_table") || $0.hasSuffix("create_index") })
            if kind == .postgres {
                #expect(named.allSatisfy { $0.hasSuffix("sql") }, "\(named)")
            } else {
                // drop_not_null rebuilds the table on SQLite.
                #expect(named.contains("columns drop_not_null"), "\(named)")
            }
            let column = Column("n", .bigint, identity: true)
            let identity = PlannedOperation(
                operation: .addColumn(table: "t", column), line: 1, statements: [], schemaBefore: Schema())
            #expect((identity.unboundedWriterWait(on: .postgres) ?? "").contains("rewrites the table"))
        }
    }
}
