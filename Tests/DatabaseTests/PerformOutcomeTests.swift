import Foundation
import Synchronization
import TandemTesting
import Testing

@testable import TandemDatabase

/// `Connection.perform` hands a body's value back through memory of the value's own type, and its
/// error beside it: every value must arrive whole and be released exactly once, and an error must
/// arrive as itself, whether the caller waited awake (a quick body) or asleep (a slow one).
@Suite("An async call's value and error come back intact")
struct PerformOutcomeTests {
    /// How long the slow bodies take: longer than a caller ever waits awake.
    static let slowBody = Connection.awaitingAwake * 20

    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func valuesComeBackWholeAndAreReleasedOnce(_ kind: TestDatabaseKind, slow: Bool) async throws {
        let tracker = LifeTracker()
        try await withTestDatabase(kind) { database in
            try await database.withConnection {
                try $0.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY, label TEXT)")
            }
            for round in 0..<50 {
                let (label, tracked) = try await database.withConnection { connection in
                    if slow { Thread.sleep(forTimeInterval: Double(Self.slowBody.wholeNanoseconds) / 1e9) }
                    try connection.execute(
                        "INSERT INTO item (n, label) VALUES ($1, $2)", round, String(repeating: "é", count: round + 20))
                    let rows = try connection.query("SELECT label FROM item WHERE n = $1", round)
                    return (try rows[0].decode(String.self, "label"), Tracked(tracker, round))
                }
                #expect(label == String(repeating: "é", count: round + 20))
                withExtendedLifetime(tracked) {
                    #expect(tracked.value == round)
                    #expect(
                        tracker.alive == 1, "round \(round): \(tracker.alive) values alive while the caller holds one")
                }
            }
        }
        #expect(tracker.alive == 0, "\(tracker.alive) returned values were never released")
        #expect(tracker.created == 50)
    }

    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func errorsComeBackAsThemselvesAndTheConnectionGoesOn(_ kind: TestDatabaseKind, slow: Bool) async throws {
        let tracker = LifeTracker()
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            for round in 0..<20 {
                let thrown = await #expect(throws: DatabaseError.self) {
                    try await database.withConnection { connection -> Tracked in
                        if slow { Thread.sleep(forTimeInterval: Double(Self.slowBody.wholeNanoseconds) / 1e9) }
                        _ = try connection.query("SELECT no_such_column FROM no_such_table")
                        return Tracked(tracker, round)
                    }
                }
                #expect(thrown?.kind == .statement)
                await #expect(throws: Refusal(round: round)) {
                    try await database.withConnection { _ -> Tracked in throw Refusal(round: round) }
                }
                let one = try await database.withConnection {
                    try $0.query("SELECT 1 AS one")[0].decode(Int.self, "one")
                }
                #expect(one == 1)
            }
        }
        #expect(tracker.created == 0, "a body that threw produced a value")
    }

    /// After an async body, whether it returned or threw, the pool keeps a healthy connection and
    /// drops one left inside a transaction (whose thread then ends).
    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func thePoolKeepsHealthyConnectionsAndDropsOthersWhateverTheBodyDid(_ kind: TestDatabaseKind, throwing: Bool)
        async throws
    {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let kept = try await database.withConnection { $0.thread.ended }
            _ = try? await database.withConnection { _ -> Int in
                if throwing { throw Refusal(round: 0) }
                return 0
            }
            let afterHealthyBody = try await database.withConnection { $0.thread.ended }
            #expect(afterHealthyBody === kept, "the pool dropped a healthy connection")

            _ = try? await database.withConnection { connection -> Int in
                try connection.execute(kind == .postgres ? "BEGIN" : "BEGIN IMMEDIATE")
                if throwing { throw Refusal(round: 1) }
                return 1
            }
            let (afterOpenTransaction, healthy) = try await database.withConnection { connection in
                (connection.thread.ended, connection.isHealthy)
            }
            #expect(afterOpenTransaction !== kept, "the pool kept a connection left inside a transaction")
            #expect(healthy, "the connection handed out next was inside a transaction")
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while !kept.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(kept.isSet, "the dropped connection's thread still runs")
        }
    }

    /// An error of the test's own, to see that the very error thrown arrives.
    struct Refusal: Error, Equatable {
        let round: Int
    }

    /// Counts the values made and still alive.
    final class LifeTracker: Sendable {
        private let counts = Mutex((created: 0, alive: 0))
        var created: Int { counts.withLock { $0.created } }
        var alive: Int { counts.withLock { $0.alive } }
        func born() {
            counts.withLock {
                $0.created += 1; $0.alive += 1
            }
        }
        func died() { counts.withLock { $0.alive -= 1 } }
    }

    /// A value that tells its tracker when it is made and released.
    final class Tracked: Sendable {
        let value: Int
        private let tracker: LifeTracker
        init(_ tracker: LifeTracker, _ value: Int) {
            self.tracker = tracker
            self.value = value
            tracker.born()
        }
        deinit { tracker.died() }
    }
}
