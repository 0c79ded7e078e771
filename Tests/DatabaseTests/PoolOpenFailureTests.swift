import Dispatch
import Foundation
import TandemTesting
import Testing

@testable import TandemDatabase

@Suite("A connection that fails to open hands its place to a waiter")
struct PoolOpenFailureTests {
    /// A pool of 2: one connection is held, the second fails to open while a third caller waits
    /// for a place. The failed open's place goes to that caller, who opens a connection in it,
    /// instead of waiting for the held one.
    @Test(arguments: TestDatabaseKind.engines)
    func aWaiterGetsThePlaceOfAFailedOpen(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let location = database.url.location
            let attempts = Locked(0)
            let failure = DispatchSemaphore(value: 0)
            let pool = ConnectionPool(capacity: 2) {
                let attempt = attempts.withLock { count -> Int in
                    count += 1
                    return count
                }
                if attempt == 2 {
                    // Fails once the test has a caller waiting behind it.
                    failure.wait()
                    throw DatabaseError(kind: .connection, dialect: nil, code: nil, message: "the server refused")
                }
                return try openTestConnection(location)
            }
            let held = try Self.acquireBlocking(pool)
            // The failing open blocks its caller, so it runs on a thread of its own, off the
            // cooperative pool.
            let openFailed = Locked(false)
            let failing = Task { await onThreads([{ openFailed.withLock { $0 = (try? pool.acquire()) == nil } }]) }
            while attempts.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(5)) }
            let waiter = Task { try await pool.acquire() }
            // Long enough for the waiter to queue: the pool is full until the open fails.
            try await Task.sleep(for: .milliseconds(300))
            failure.signal()
            await failing.value
            #expect(openFailed.withLock { $0 })
            // Without the hand-off the waiter waits for the held connection: a watchdog returns
            // it after a while, so the test fails instead of hanging.
            let watchdogReturnedIt = Locked(false)
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                watchdogReturnedIt.withLock { $0 = true }
                pool.release(held)
            }
            let opened = try await waiter.value
            watchdog.cancel()
            #expect(!watchdogReturnedIt.withLock { $0 })
            #expect(attempts.withLock { $0 } == 3)
            #expect(opened !== held)
            pool.release(opened)
            if !watchdogReturnedIt.withLock({ $0 }) { pool.release(held) }
        }
    }

    /// A pool of 1 whose only open fails while a caller waits: with no connection open (the
    /// server is likely down), the waiter fails at once with the error instead of trying again.
    @Test(arguments: TestDatabaseKind.engines)
    func waitersFailAtOnceWhenNoConnectionIsOpen(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let location = database.url.location
            let attempts = Locked(0)
            let failure = DispatchSemaphore(value: 0)
            let pool = ConnectionPool(capacity: 1) {
                let attempt = attempts.withLock { count -> Int in
                    count += 1
                    return count
                }
                if attempt == 1 {
                    failure.wait()
                    throw DatabaseError(kind: .connection, dialect: nil, code: nil, message: "the server refused")
                }
                return try openTestConnection(location)
            }
            let openFailed = Locked(false)
            let failing = Task { await onThreads([{ openFailed.withLock { $0 = (try? pool.acquire()) == nil } }]) }
            while attempts.withLock({ $0 }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let waiter = Task { try await pool.acquire() }
            try await Task.sleep(for: .milliseconds(300))
            failure.signal()
            await failing.value
            #expect(openFailed.withLock { $0 })
            switch await waiter.result {
            case .success(let connection):
                Issue.record("the waiter opened a connection instead of failing with the error")
                pool.release(connection)
            case .failure(let error):
                #expect((error as? DatabaseError)?.message == "the server refused")
            }
            #expect(attempts.withLock { $0 } == 1)
        }
    }

    /// The synchronous acquire, which an async context would not pick.
    private static func acquireBlocking(_ pool: ConnectionPool) throws -> Connection { try pool.acquire() }
}
