import Foundation
import TandemTesting
import Testing

@testable import TandemDatabase

@Suite("Connections close where closing may block: never on the cooperative pool")
struct ConnectionClosingTests {
    /// A connection the pool drops (here, reported unhealthy) closes on its own thread, even when
    /// the caller, a task on the cooperative pool, lets go of its reference after that thread is
    /// done with it: closing (libpq's goodbye, SQLite's checkpoint) blocks.
    @Test(arguments: TestDatabaseKind.engines)
    func aDroppedConnectionClosesOnItsOwnThread(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let (pool, closedOn) = Self.probedPool(database, capacity: 1)
            var connection: Connection? = try await pool.acquire()
            let thread = try #require(connection).thread
            pool.release(try #require(connection), healthy: false)
            // The thread has run what the pool gave it; the last reference goes here.
            let connectionThread = await withCheckedContinuation { finished in
                thread.submit { finished.resume(returning: pthread_self()) }
            }
            connection = nil
            #expect(closedOn.withLock { $0 } == [connectionThread])
            #expect(pool.waitingCallers == 0)
        }
    }

    /// `close()` closes the idle connections before it returns, on the caller's thread: a CLI
    /// command exits right after, and SQLite checkpoints its WAL on close.
    @Test(arguments: TestDatabaseKind.engines)
    func closingThePoolClosesIdleConnectionsBeforeItReturns(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let (pool, closedOn) = Self.probedPool(database, capacity: 2)
            let first = try await pool.acquire()
            let second = try await pool.acquire()
            pool.release(first)
            pool.release(second)
            let caller = Locked<pthread_t?>(nil)
            await onThreads([
                {
                    caller.withLock { $0 = pthread_self() }
                    pool.close()
                }
            ])
            let closer = try #require(caller.withLock { $0 })
            #expect(closedOn.withLock { $0 } == [closer, closer])
            #expect(throws: DatabaseError.self) { try first.query("SELECT 1") }
            #expect(!first.isHealthy)
        }
    }

    /// A pool of `capacity` whose connections' drivers record the thread they close on.
    private static func probedPool(
        _ database: Database, capacity: Int
    ) -> (ConnectionPool, closedOn: Locked<[pthread_t]>) {
        let closedOn = Locked<[pthread_t]>([])
        let location = database.url.location
        let pool = ConnectionPool(capacity: capacity) {
            try openTestConnection(location) { ClosingProbe($0, closedOn: closedOn) }
        }
        return (pool, closedOn)
    }
}

/// A driver that records the thread it is closed (deinitialised) on, as `pthread_self()`: on
/// Linux, `Thread.current.name` can answer with another thread's name.
private final class ClosingProbe: Driver {
    private let driver: any Driver
    private let closedOn: Locked<[pthread_t]>

    init(_ driver: any Driver, closedOn: Locked<[pthread_t]>) {
        self.driver = driver
        self.closedOn = closedOn
    }

    deinit {
        let thread = pthread_self()
        closedOn.withLock { $0.append(thread) }
    }

    func query(_ sql: String, _ values: [DatabaseValue]) throws -> [Row] { try driver.query(sql, values) }
    func execute(_ sql: String, _ values: [DatabaseValue]) throws -> Int { try driver.execute(sql, values) }
    func executeScript(_ sql: String) throws { try driver.executeScript(sql) }
    func serverVersion() -> String { driver.serverVersion() }
    var isHealthy: Bool { driver.isHealthy }
    var beginStatement: String { driver.beginStatement }
    var transactionIsAborted: Bool { driver.transactionIsAborted }
}
