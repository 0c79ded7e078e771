import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("The migration lock lets one runner work at a time")
struct RuntimeLockTests {
    /// A migration slow enough (a few hundred milliseconds) that two runners overlap.
    static let slowFile = compatibleFile(
        """
          - sql:
              up: "CREATE TABLE app_slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 400000) SELECT count(*) AS n FROM c"
              down: "DROP TABLE app_slow"
              phase: compatible

        """)

    @Test(arguments: TestDatabaseKind.engines)
    func twoRunnersAtOnceApplyEachMigrationOnce(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations.fixtures()
        defer { scratch.remove() }
        try scratch.write("shop/0000_slow.yaml", Self.slowFile.replacingOccurrences(of: "app_slow", with: "shop_slow"))
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let set = try scratch.set()
        let run: @Sendable () throws -> [String] = {
            let database = try Database(test.url, maximumConnections: 1)
            defer { database.close() }
            return try Migrator(database: database, migrations: set, settings: quickSettings).migrate().applied.map(
                \.description)
        }
        async let first = onThread(run)
        async let second = onThread(run)
        let reports = try await [first, second]
        let expected = ["shop/0000_slow"] + RuntimeFixtures.compatible
        #expect(reports.sorted { $0.count < $1.count } == [[], expected])
        #expect(try ledgerIDs(test.database).sorted() == expected.sorted())
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aWaitingRunnerGivesUpAfterTheLockTimeout(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let set = try RuntimeFixtures.set()
        let holder = try Database(test.url, maximumConnections: 1)
        defer { holder.close() }
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        async let held: Void = onThread {
            try holder.withConnection { connection in
                try MigrationLock.withLock(on: connection, url: holder.url, timeout: .zero) {
                    locked.signal()
                    release.wait()
                }
            }
        }
        try await onThread { locked.wait() }
        let settings = MigrationSettings(lockTimeout: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        let refusal = try await onThread {
            thrownError { try Migrator(database: test.database, migrations: set, settings: settings).migrate() }
        }
        #expect(clock.now - start >= .milliseconds(300))
        let message = try #require(refusal as? MigrationRefusal).message
        #expect(message.contains("another runner holds the migration lock"))
        guard case .lockHeld = try #require(refusal as? MigrationRefusal).reason else {
            Issue.record("expected a lock refusal")
            return
        }
        #expect(message.contains("300ms (--lock-timeout)"))
        #expect(try ledgerIDs(test.database).isEmpty)
        release.signal()
        try await held
        let report = try Migrator(database: test.database, migrations: set, settings: settings).migrate()
        #expect(report.applied.count == RuntimeFixtures.compatible.count)
    }

    @Test(
        "runners on different schemas of one server do not exclude each other (PostgreSQL only: one server, many schemas)"
    )
    func lockIsPerSchema() async throws {
        let one = try TestDatabase(.postgres)
        let two = try TestDatabase(.postgres)
        defer {
            one.drop()
            two.drop()
        }
        let set = try RuntimeFixtures.set()
        try await one.database.withConnection { connection in
            try MigrationLock.withLock(on: connection, url: one.database.url, timeout: .zero) {
                let report = try Migrator(
                    database: two.database, migrations: set, settings: MigrationSettings(lockTimeout: .zero)
                ).migrate()
                #expect(report.applied.count == RuntimeFixtures.compatible.count)
            }
        }
    }
}
