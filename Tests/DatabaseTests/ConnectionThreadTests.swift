import Foundation
import Synchronization
import TandemTesting
import Testing

@testable import TandemDatabase

/// Each connection runs its async work on a thread of its own (see `ConnectionThread`): the
/// thread must end with the connection, or a process that opens and closes databases (every test
/// run, a CLI command per database) would collect threads.
@Suite("A connection's thread lives as long as the connection")
struct ConnectionThreadTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func closingTheDatabaseEndsItsConnectionsThreads(_ kind: TestDatabaseKind) async throws {
        var flags: [ConnectionThread.Flag] = []
        var capacity = 0
        try await withTestDatabase(kind, maximumConnections: 3) { database in
            // Three bodies at once open three connections (in-memory SQLite has one), each with its thread.
            capacity = database.maximumConnections
            let inside = Counter(), together = min(3, capacity)
            flags = try await withThrowingTaskGroup(of: ConnectionThread.Flag.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await database.withConnection { connection in
                            // Each body waits (on its connection's thread) until all are in, so
                            // none hands its connection to another.
                            inside.increment()
                            let deadline = Date().addingTimeInterval(5)
                            while inside.value < together, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
                            return connection.thread.ended
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(flags.allSatisfy { !$0.isSet }, "a thread ended while its connection was open")
            database.close()
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while !flags.allSatisfy(\.isSet), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let distinct = Set(flags.map { ObjectIdentifier($0) }).count
        let running = flags.filter { !$0.isSet }.count
        #expect(distinct == min(3, capacity))
        #expect(running == 0, "\(running) connection thread(s) still run after the database closed")
    }

    /// A connection dropped by the pool (its session broke inside a transaction) is closed on its
    /// own thread, which then ends.
    @Test(arguments: TestDatabaseKind.allCases)
    func anUnhealthyConnectionsThreadEndsWhenThePoolDropsIt(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let flag = try await database.withConnection { connection in
                // Left inside a transaction, the connection is unhealthy: the pool closes it.
                try connection.execute(kind == .postgres ? "BEGIN" : "BEGIN IMMEDIATE")
                return connection.thread.ended
            }
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while !flag.isSet, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(flag.isSet, "the dropped connection's thread still runs")
            // The pool opened a fresh connection in its place.
            let one = try await database.withConnection { try $0.query("SELECT 1 AS one")[0].decode(Int.self, "one") }
            #expect(one == 1)
        }
    }
}

/// A count shared by concurrent bodies.
private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func increment() { count.add(1, ordering: .releasing) }
}
