import Foundation
import TandemDatabase
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Version gates: breaking migrations wait for every live process to run a new enough release")
struct ComponentsGateTests {
    private static func migrator(_ database: Database, wait: Duration = .zero) throws -> Migrator {
        Migrator(
            database: database, migrations: try RuntimeFixtures.set(),
            settings: MigrationSettings(
                heartbeatTimeout: .seconds(60), gateWait: wait, gatePollInterval: .milliseconds(100)))
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aLiveOldProcessBlocksAndIsListed(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = try Self.migrator(database)
            try migrator.migrate()
            try register("api", versions: ["shop": "1.0.0", "audit": "0.1.0"], age: 2, on: database, pid: 4242)
            try register("worker", versions: ["shop": "1.1.0-rc.1"], on: database, pid: 77)
            try register("api", versions: ["shop": "1.1.0"], on: database, pid: 5)
            let before = try DatabaseSnapshot(database)
            let refusal = try #require(
                thrownError { try migrator.migrate(MigrationRequest(breaking: true)) } as? MigrationRefusal)
            #expect(
                refusal.message.contains("breaking migration shop/0006_drop_title is blocked by 2 live process(es)"))
            #expect(refusal.message.contains("- api on web-api (pid 4242), runs audit 0.1.0, shop 1.0.0, heartbeat 2."))
            #expect(refusal.message.contains("shop 1.0.0 < required 1.1.0"))
            #expect(refusal.message.contains("worker on web-worker (pid 77), runs shop 1.1.0-rc.1"))
            #expect(refusal.message.contains("shop 1.1.0-rc.1 < required 1.1.0"))
            #expect(!refusal.message.contains("pid 5)"))
            guard case .gate(let blockers) = refusal.reason else {
                Issue.record("expected a gate refusal, got \(refusal.reason)")
                return
            }
            #expect(blockers.map(\.process.pid).sorted() == [77, 4242])
            #expect(Set(blockers.map(\.migration.description)) == [RuntimeFixtures.breaking])
            #expect(try DatabaseSnapshot(database) == before)

            let status = try migrator.status()
            #expect(status.blockedGates.map(\.description) == [RuntimeFixtures.breaking])
            #expect(status.components.count == 3)
            let plan = try migrator.plan(MigrationRequest(breaking: true))
            #expect(plan.blockingSteps.count == 2)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func staleNewAndUnrelatedProcessesDoNotBlock(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let migrator = try Self.migrator(database)
            try register("api", versions: ["shop": "1.0.0"], age: 600, on: database, pid: 1)
            try register("api", versions: ["shop": "1.1.0"], on: database, pid: 2)
            try register("api", versions: ["shop": "2.0.0+build.7"], on: database, pid: 3)
            try register("worker", versions: ["audit": "0.0.1"], on: database, pid: 4)
            let status = try migrator.status()
            #expect(status.components.filter(\.live).map(\.record.pid).sorted() == [2, 3, 4])
            #expect(status.blockedGates.isEmpty)
            let report = try migrator.migrate(MigrationRequest(breaking: true))
            #expect(report.applied.last?.description == RuntimeFixtures.breaking)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aVersionThatIsNotSemanticBlocks(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try register("api", versions: ["shop": "latest"], on: database)
            let refusal = thrownError { try Self.migrator(database).migrate(MigrationRequest(breaking: true)) }
            #expect((refusal as? MigrationRefusal)?.message.contains("shop 'latest' is not a semantic version") == true)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func waitForGateGoesAheadOnceTheBlockerStops(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let database = test.database
        let heartbeat = try await Heartbeat.start(
            database: database, kind: "api", versions: ["shop": "1.0.0"], interval: .milliseconds(100))
        let migrator = try Self.migrator(database, wait: .seconds(20))
        async let report = onThread { try migrator.migrate(MigrationRequest(breaking: true)) }
        try await Task.sleep(for: .milliseconds(600))
        #expect(try ledgerIDs(database).count == 0)
        try await heartbeat.stop()
        #expect(try await report.applied.last?.description == RuntimeFixtures.breaking)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func waitForGateGivesUpWhileTheBlockerStays(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try register("api", versions: ["shop": "1.0.0"], on: database)
            let migrator = try Self.migrator(database, wait: .milliseconds(400))
            let clock = ContinuousClock()
            let start = clock.now
            let refusal = try await onThread { thrownError { try migrator.migrate(MigrationRequest(breaking: true)) } }
            #expect(clock.now - start >= .milliseconds(400))
            #expect((refusal as? MigrationRefusal)?.message.contains("--wait-for-gate") == true)
            #expect(try ledgerIDs(database).isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func heartbeatsRegisterBeatAndRemoveTheirRow(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let heartbeat = try await Heartbeat.start(
                database: database, kind: "worker", versions: ["core": "3.1.0", "file": "1.10.0"],
                interval: .milliseconds(50))
            let first = try await database.withConnection { try ComponentRegistry.components(on: $0) }
            #expect(first.count == 1)
            #expect(first.first?.versions == ["core": "3.1.0", "file": "1.10.0"])
            #expect(first.first?.pid == Int(ProcessInfo.processInfo.processIdentifier))
            #expect(first.first?.isLive(timeout: .seconds(5)) == true)
            // Other tests may keep the cooperative threads busy for a while: wait up to 10 s.
            var later = first
            for _ in 0..<200 where later.first?.lastHeartbeat == first.first?.lastHeartbeat {
                try await Task.sleep(for: .milliseconds(50))
                later = try await database.withConnection { try ComponentRegistry.components(on: $0) }
            }
            #expect(try #require(later.first).lastHeartbeat > first[0].lastHeartbeat)
            #expect(later.first?.startedAt == first.first?.startedAt)
            try await heartbeat.stop()
            #expect(try await database.withConnection { try ComponentRegistry.components(on: $0) }.isEmpty)
        }
    }

    @Test func versionsCompareAsSemanticVersions() throws {
        let migration = try #require(
            try RuntimeFixtures.set().migration(MigrationID(component: "shop", number: 6, name: "drop_title")))
        func blocks(_ version: String) -> Bool {
            let record = ComponentRecord(
                id: "x", kind: "api", host: "h", pid: 1, versions: ["shop": version], startedAt: Date(),
                lastHeartbeat: Date(), heartbeatAge: 1)
            return !VersionGate.blockers(for: migration, components: [record], heartbeatTimeout: .seconds(60)).isEmpty
        }
        #expect(blocks("1.0.9"))
        #expect(blocks("1.1.0-rc.2"))
        #expect(blocks("0.99.99"))
        #expect(!blocks("1.1.0"))
        #expect(!blocks("1.10.0"))
        #expect(!blocks("1.1.1-alpha"))
    }
}
