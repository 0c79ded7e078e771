import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

extension PostgresTimingTests {
    @Suite("DDL steps and old code's parent-then-child writers: no deadlock, and a lost one is retried", .serialized)
    struct RuntimeDeadlockTests {
        /// A DDL transaction that loses a deadlock (40P01) is retried like a lock timeout. The
        /// migration locks the child table and then waits for the parent, which an old-code
        /// transaction holds while it goes on to write the child. PostgreSQL only: SQLite has one
        /// writer at a time and no deadlocks.
        @Test func aDeadlockedStepIsRetried() async throws {
            let test = try TestDatabase(.postgres)
            defer { test.drop() }
            let scratch = try ScratchMigrations([
                "app/0001_base.yaml": compatibleFile(
                    """
                      - create_table: {name: app_parent, columns: [{name: id, type: bigint}], primary_key: [id]}
                      - create_table: {name: app_child, columns: [{name: id, type: bigint}], primary_key: [id]}

                    """),
                "app/0002_locks.yaml": compatibleFile(
                    "  - sql: {up: \"LOCK TABLE app_child IN SHARE ROW EXCLUSIVE MODE; LOCK TABLE app_parent IN SHARE ROW EXCLUSIVE MODE\", down: \"SELECT 1\", phase: compatible}\n"
                ),
            ])
            defer { scratch.remove() }
            var settings = quickSettings
            settings.ddlLockTimeout = .seconds(5)
            settings.ddlRetryFor = .seconds(10)
            let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            let writer = try Database(test.url, maximumConnections: 1)
            defer { writer.close() }
            let running = try await onThread {
                try writer.withConnection { connection in
                    try connection.execute("SET deadlock_timeout = '30s'")
                    let running = try connection.transaction {
                        try connection.execute("INSERT INTO app_parent (id) VALUES (1)")
                        let running = ThreadRun { try migrator.migrate() }
                        try Self.waitUntilTheMigrationWaits(on: connection)
                        try connection.execute("INSERT INTO app_child (id) VALUES (1)")
                        return running
                    }
                    return running
                }
            }
            let report = try await onThread { try running.wait() }
            #expect(report.applied.map(\.description) == ["app/0002_locks"])
            #expect((report.runs.first?.locks.attempts ?? 0) >= 2)
        }

        /// `add_foreign_key` takes the parent before the child, as old code's transactions do that
        /// write a parent row and then a child row: such a transaction goes through while the step
        /// waits for it, and the step needs one attempt, without a deadlock. PostgreSQL only: SQLite
        /// has one writer at a time.
        @Test func addingAForeignKeyCannotDeadlockWithParentThenChildWriters() async throws {
            let test = try TestDatabase(.postgres)
            defer { test.drop() }
            let scratch = try ScratchMigrations([
                "app/0001_base.yaml": compatibleFile(
                    """
                      - create_table: {name: app_parent, columns: [{name: id, type: bigint}], primary_key: [id]}
                      - create_table: {name: app_child, columns: [{name: id, type: bigint}, {name: parent_id, type: bigint}], primary_key: [id]}

                    """),
                "app/0002_fk.yaml": compatibleFile(
                    """
                      - add_foreign_key:
                          table: app_child
                          name: app_child_parent_fkey
                          columns: [parent_id]
                          references: {table: app_parent, columns: [id]}

                    """),
            ])
            defer { scratch.remove() }
            var settings = quickSettings
            settings.ddlLockTimeout = .seconds(5)
            settings.ddlRetryFor = .seconds(10)
            let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            let writer = try Database(test.url, maximumConnections: 1)
            defer { writer.close() }
            let running = try await onThread {
                try writer.withConnection { connection in
                    try connection.transaction {
                        try connection.execute("INSERT INTO app_parent (id) VALUES (1)")
                        let running = ThreadRun { try migrator.migrate() }
                        try Self.waitUntilAStepWaits(for: "app_parent", on: connection)
                        try connection.execute("INSERT INTO app_child (id, parent_id) VALUES (1, 1)")
                        return running
                    }
                }
            }
            let report = try await onThread { try running.wait() }
            #expect(report.applied.map(\.description) == ["app/0002_fk"])
            #expect(report.runs.first?.locks.attempts == 1, "the step lost no deadlock")
            let children = try await test.database.withConnection { connection in
                try connection.query("SELECT count(*) FROM app_child")[0].decode(Int.self, at: 0)
            }
            #expect(children == 1, "old code's transaction committed")
        }

        /// Polls until another session waits for a lock on `table`.
        private static func waitUntilAStepWaits(for table: String, on connection: Connection) throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let waiting = try connection.query(
                    "SELECT count(*) FROM pg_locks WHERE relation = '\(table)'::regclass AND NOT granted"
                )[0].decode(Int.self, at: 0)
                if waiting > 0 { return }
                Thread.sleep(forTimeInterval: 0.01)
            }
            Issue.record("no step waited for \(table)")
        }

        /// Polls until another session of this database waits for a lock.
        private static func waitUntilTheMigrationWaits(on connection: Connection) throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                // Inside a transaction pg_stat_activity is read once unless the snapshot is cleared.
                _ = try connection.query("SELECT pg_stat_clear_snapshot()")
                let waiting = try connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE app_parent%'"
                )[0].decode(Int.self, at: 0)
                if waiting > 0 { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("the migration never waited for app_parent")
        }
    }
}
