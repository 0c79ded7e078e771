import Foundation
import Logging
import ServiceLifecycle
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemProcessTestSupport
import TandemTesting
import Testing

/// The registration service run inside the test process: register, beat, clean stale rows,
/// unregister on graceful shutdown. Timing-sensitive (heartbeat intervals): in scripts/test's
/// timing list. Both engines (SQLite in memory is one database per connection, so it is left out).
@Suite("Process registration and heartbeats")
struct ProcessRegistrationTests {
    static let ttls = try! ProcessTTLs(api: .seconds(120), content: .seconds(30), worker: .milliseconds(900))

    @Test(arguments: TestDatabaseKind.engines)
    func registersBeatsAndLeavesOnGracefulShutdown(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let registration = ProcessRegistration(
                database: database, configuration: ProcessConfiguration(kind: .worker, ttls: Self.ttls),
                versions: ["core": "3.1.0", "file": "1.10.0"])
            #expect(registration.configuration.heartbeatInterval == .milliseconds(300))
            try await registration.register()
            let before = try await ComponentRows.all(database)
            #expect(before.map(\.id) == [registration.id])
            let group = ServiceGroup(services: [registration], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            let registered = try await ComponentRows.wait(database, for: "registration") { !$0.isEmpty }
            let first = try #require(registered.first)
            #expect(first.id == registration.id)
            #expect(registered.count == 1)
            #expect(first.startedAt == before.first?.startedAt)
            #expect(first.kind == "worker")
            #expect(first.pid == Int(ProcessInfo.processInfo.processIdentifier))
            #expect(first.host == ProcessInfo.processInfo.hostName)
            #expect(first.versions == ["core": "3.1.0", "file": "1.10.0"])

            let later = try await ComponentRows.wait(database, for: "a heartbeat") {
                ($0.first?.lastHeartbeat ?? .distantPast) > first.lastHeartbeat
            }
            #expect(later.first?.startedAt == first.startedAt)

            // A row removed behind its back (judged stale while paused) comes back at the next beat.
            try await database.withConnection { try ComponentRegistry.unregister(id: registration.id, on: $0) }
            try await ComponentRows.wait(database, for: "re-registration") { $0.map(\.id) == [registration.id] }

            await group.triggerGracefulShutdown()
            try await running.value
            #expect(try await ComponentRows.all(database).isEmpty)
        }
    }

    /// Another process's rows: a worker 1 h silent (stale), an api 170 s silent (late, but an api
    /// is stale only at 180 s), a kind this registry does not know (left alone), a fresh api.
    private func insertOthers(_ database: Database) async throws -> [ComponentRegistration] {
        let others = [
            ComponentRegistration(kind: "worker", versions: ["core": "3.0.0"], pid: 1001),
            ComponentRegistration(kind: "api", versions: ["core": "3.0.0"], pid: 1002),
            ComponentRegistration(kind: "migrate", versions: [:], pid: 1003),
            ComponentRegistration(kind: "api", versions: ["core": "3.0.0"], pid: 1004),
        ]
        try await database.withConnection { connection in
            try ComponentRegistry.createTable(on: connection)
            for other in others { try ComponentRegistry.register(other, on: connection) }
        }
        try await ComponentRows.age(others[0].id, by: 3600, on: database)
        try await ComponentRows.age(others[1].id, by: 170, on: database)
        try await ComponentRows.age(others[2].id, by: 3600, on: database)
        return others
    }

    @Test(arguments: TestDatabaseKind.engines)
    func staleRowsAreRemovedWhenAProcessRegisters(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let others = try await insertOthers(database)
            // An api process beats every 40 s: what happens within seconds happens on registration.
            let registration = ProcessRegistration(
                database: database, configuration: ProcessConfiguration(kind: .api, ttls: Self.ttls), versions: [:])
            let group = ServiceGroup(services: [registration], logger: Logger(label: "test"))
            let running = Task { try await group.run() }

            let expected = Set([others[1].id, others[2].id, others[3].id, registration.id])
            try await ComponentRows.wait(database, timeout: .seconds(5), for: "the stale worker's removal") {
                Set($0.map(\.id)) == expected
            }
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(Set(try await ComponentRows.all(database).map(\.id)) == [others[1].id, others[2].id, others[3].id])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func rowsThatGoStaleLaterAreRemovedAfterAHeartbeat(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let others = try await insertOthers(database)
            let registration = ProcessRegistration(
                database: database, configuration: ProcessConfiguration(kind: .worker, ttls: Self.ttls), versions: [:])
            let group = ServiceGroup(services: [registration], logger: Logger(label: "test"))
            let running = Task { try await group.run() }
            let expected = Set([others[1].id, others[2].id, others[3].id, registration.id])
            try await ComponentRows.wait(database, for: "the stale worker's removal") { Set($0.map(\.id)) == expected }

            try await ComponentRows.age(others[1].id, by: 200, on: database)
            try await ComponentRows.wait(database, for: "the stale api's removal") {
                Set($0.map(\.id)) == expected.subtracting([others[1].id])
            }
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(Set(try await ComponentRows.all(database).map(\.id)) == [others[2].id, others[3].id])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func twoProcessesCleaningAtOnceRemoveEachStaleRowOnce(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 2) { database in
            let stale = (0..<20).map { ComponentRegistration(kind: "worker", versions: [:], pid: 2000 + $0) }
            try await database.withConnection { connection in
                try ComponentRegistry.createTable(on: connection)
                for registration in stale { try ComponentRegistry.register(registration, on: connection) }
            }
            for registration in stale { try await ComponentRows.age(registration.id, by: 600, on: database) }
            let limits: [String: Duration] = ["worker": .seconds(45)]
            async let first = database.withConnection { try ComponentRegistry.removeStale(olderThan: limits, on: $0) }
            async let second = database.withConnection { try ComponentRegistry.removeStale(olderThan: limits, on: $0) }
            let removed = try await first + second
            #expect(removed.count == stale.count)
            #expect(Set(removed.map(\.id)) == Set(stale.map(\.id)))
            #expect(try await ComponentRows.all(database).isEmpty)
        }
    }

    @Test func ttlsMustBePositive() {
        let error = #expect(throws: ProcessConfigurationError.self) {
            try ProcessTTLs(api: .seconds(10), content: .seconds(10), worker: .zero)
        }
        #expect(error?.description == "process_ttl.worker: must be a positive number of seconds")
        #expect(ProcessConfiguration(kind: .api).heartbeatInterval == .seconds(40))
        #expect(ProcessConfiguration(kind: .worker).staleLimits["api"] == .seconds(180))
    }
}
