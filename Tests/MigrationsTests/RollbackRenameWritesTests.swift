import Foundation
import Synchronization
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

extension PostgresTimingTests {
    @Suite("--to undoing a rename keeps every write new code committed")
    struct RollbackRenameWritesTests {
        private static let files = [
            "app/0001_base.yaml": compatibleFile(
                "  - create_table: {name: app_acct, columns: [{name: id, type: bigint}, {name: body, type: text, null: false}], primary_key: [id]}\n"
            ),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: app_acct, from: body, to: content}\n", release: "1.1.0"),
        ]

        /// The triggers go in the same transaction as the new column, after the old column's NOT NULL
        /// is back: no committed write can land between them.
        @Test(arguments: TestDatabaseKind.engines)
        func theTriggersAndTheNewColumnGoInOneTransaction(_ kind: TestDatabaseKind) async throws {
            let scratch = try ScratchMigrations(Self.files)
            defer { scratch.remove() }
            try await withTestDatabase(kind) { database in
                let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
                try migrator.migrate()
                let plan = try migrator.plan(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
                let step = try #require(plan.steps.first)
                #expect(step.direction == .undo)
                #expect(
                    step.operations.map(\.operation.name) == [
                        "set_not_null", "drop_constraint", "remove_column_sync", "drop_column",
                    ])
                let last = try #require(step.groups.last)
                #expect(last.transactional)
                #expect(Set(last.operationIndexes).isSuperset(of: [2, 3]))
            }
        }

        /// An undo that fails part-way (a view uses the new column, so it cannot be dropped) keeps
        /// the old column's restored NOT NULL, which has no inverse, records how far it got, and the
        /// next `--to` finishes it once the view is gone, instead of failing on "already exists".
        /// PostgreSQL only: on SQLite the undo is one transaction, rolled back whole.
        @Test func aFailedUndoIsResumedByTheNextRollback() async throws {
            let test = try TestDatabase(.postgres)
            defer { test.drop() }
            let scratch = try ScratchMigrations(Self.files)
            defer { scratch.remove() }
            let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate()
            try await test.database.withConnection { connection in
                try connection.execute("CREATE VIEW app_acct_content AS SELECT content FROM app_acct")
            }
            let back = MigrationRequest(target: MigrationTarget(parsing: "app/0001"))
            let failure = try #require(thrownError { try migrator.migrate(back) } as? MigrationFailure)
            #expect(failure.direction == .undo)
            #expect(try migrator.status().partlyApplied.map(\.migration) == ["app/0002_rename (undo)"])
            try await test.database.withConnection { connection in try connection.execute("DROP VIEW app_acct_content")
            }
            let report = try migrator.migrate(back)
            #expect(report.undone.map(\.description) == ["app/0002_rename"])
            #expect(try ledgerIDs(test.database) == ["app/0001_base"])
            #expect(try migrator.status().partlyApplied.isEmpty)
            let table = try await test.database.withConnection { try $0.introspectSchema() }.table(named: "app_acct")
            #expect(table?.columns.map(\.name) == ["id", "body"])
            #expect(table?.column(named: "body")?.isNullable == false)
            #expect(table?.normalized.checkConstraints.isEmpty == true)
        }

        /// New code updates the new column from two connections while `--to` undoes the rename and
        /// a session holds up its validation; every update committed before the new column went is
        /// in the old column afterwards. PostgreSQL only: on SQLite the whole undo is one
        /// transaction, which writers wait for.
        @Test func concurrentWritesSurviveTheRollback() async throws {
            let test = try TestDatabase(.postgres)
            defer { test.drop() }
            let scratch = try ScratchMigrations(Self.files)
            defer { scratch.remove() }
            var settings = quickSettings
            settings.ddlLockTimeout = .seconds(10)
            settings.ddlRetryFor = .seconds(30)
            let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: settings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try await test.database.withConnection { connection in
                try connection.execute(
                    "INSERT INTO app_acct (id, body) SELECT g, 'start' FROM generate_series(1, 200) g")
            }
            try migrator.migrate()
            let committed = CommittedValues()
            let writers = (0..<2).map { writer in
                ThreadRun {
                    do {
                        let database = try Database(test.url, maximumConnections: 1)
                        defer { database.close() }
                        var count = 0
                        try database.withConnection { connection in
                            while count < 100_000 {
                                count += 1
                                let id = 1 + (count * 2 + writer) % 200
                                let value = "w\(writer)-\(count)"
                                do {
                                    try connection.execute(
                                        "UPDATE app_acct SET content = $1 WHERE id = $2",
                                        [.text(value), .integer(Int64(id))])
                                } catch {
                                    return  // the new column is gone
                                }
                                committed.values.withLock { $0[id] = value }
                            }
                        }
                        return count
                    }
                }
            }
            let locked = DispatchSemaphore(value: 0)
            let holder = ThreadRun { try Self.holdValidation(test.url, locked: locked) }
            // Not pg_locks: autovacuum takes the same lock now and then.
            try await onThread { locked.wait() }
            let report = try await onThread {
                try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            }
            var updates = 0
            for writer in writers { updates += try await onThread { try writer.wait() } }
            let held = try await onThread { try holder.wait() }
            #expect(report.undone.map(\.description) == ["app/0002_rename"])
            #expect(held, "a session held the validation up while writers wrote")
            #expect(updates > 0)
            let expected = committed.values.withLock { $0 }
            let rows = try await test.database.withConnection { connection in
                try connection.query("SELECT id, body FROM app_acct ORDER BY id").map {
                    (try $0.decode(Int.self, at: 0), try $0.decode(String.self, at: 1))
                }
            }
            let actual = Dictionary(uniqueKeysWithValues: rows)
            let lost = expected.filter { actual[$0.key] != $0.value }
            #expect(lost.isEmpty, "\(lost.count) of \(expected.count) rows lost their last committed update")
        }

        /// Holds a lock that lets writers through until the rollback's first transaction queues
        /// behind it, then takes it again at once: granted as that transaction commits, it makes the
        /// validation after it wait 800 ms while writers write. Returns whether it got there.
        private static func holdValidation(_ url: String, locked: DispatchSemaphore) throws -> Bool {
            let database = try Database(url, maximumConnections: 1)
            defer { database.close() }
            return try database.withConnection { connection in
                let queued = try connection.transaction {
                    try connection.execute("LOCK TABLE app_acct IN SHARE UPDATE EXCLUSIVE MODE")
                    locked.signal()
                    return try waitForLock(on: connection)
                }
                guard queued else { return false }
                try connection.transaction {
                    try connection.execute("LOCK TABLE app_acct IN SHARE UPDATE EXCLUSIVE MODE")
                    Thread.sleep(forTimeInterval: 0.8)
                }
                return true
            }
        }

        /// Waits until another session waits for an ACCESS EXCLUSIVE lock on `app_acct`.
        private static func waitForLock(on connection: Connection) throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let count = try connection.query(
                    """
                    SELECT count(*) FROM pg_locks WHERE relation = 'app_acct'::regclass AND mode = 'AccessExclusiveLock'
                        AND NOT granted AND pid <> pg_backend_pid()
                    """)[0].decode(Int.self, at: 0)
                if count > 0 { return true }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return false
        }
    }
}

/// The last value each row was updated to, as writers saw their updates commit.
private final class CommittedValues: Sendable {
    let values = Mutex<[Int: String]>([:])
}
