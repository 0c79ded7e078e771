import Foundation
import TandemTesting
import Testing

@testable import TandemDatabase

@Suite("A task cancelled while it waits for a connection stops waiting")
struct PoolCancellationTests {
    /// A pool of one whose connection is held: a task waiting for it is cancelled, throws
    /// `CancellationError` at once, and leaves the queue; the held connection, returned
    /// afterwards, is idle again and serves the next caller.
    @Test(arguments: TestDatabaseKind.engines)
    func aCancelledWaiterThrowsAndLeavesTheQueue(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let pool = database.pool
            let held = Gate()
            let holding = Locked(false)
            let holder = Task {
                try await database.withSession { _ in
                    holding.withLock { $0 = true }
                    await held.wait()
                }
            }
            try await Patience.waitUntil { holding.withLock { $0 } }
            let waiter = Task { try await database.withConnection { _ in 1 } }
            try await Patience.waitUntil { pool.waitingCallers == 1 }
            waiter.cancel()
            // Without cancellation the waiter waits for the held connection, which comes back
            // only when the test lets it: the wait below would time out.
            let outcome = try await Patience.patiently { await waiter.result }
            switch outcome {
            case .success: Issue.record("the cancelled waiter got a connection")
            case .failure(let error): #expect(error is CancellationError)
            }
            #expect(pool.waitingCallers == 0)
            await held.open()
            try await holder.value
            let answer = try await Patience.patiently { try await database.withConnection { _ in 42 } }
            #expect(answer == 42)
        }
    }

    /// Cancellations racing the return of the connection, from two threads at once: whichever
    /// wins, the connection ends up either with the waiter or idle, exactly once, never with a
    /// task that no longer waits.
    @Test(arguments: TestDatabaseKind.engines)
    func aCancellationRacingAHandOffLosesNoConnection(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let pool = database.pool
            var served = 0
            for _ in 0..<300 {
                let held = try #require(try pool.takeIdle())
                let waiter = Task { try await pool.acquire() }
                try await Patience.waitUntil { pool.waitingCallers == 1 }
                await onThreads([{ pool.release(held) }, { waiter.cancel() }])
                let outcome = try await Patience.patiently { await waiter.result }
                if case .success(let connection) = outcome {
                    #expect(connection === held)
                    served += 1
                    pool.release(connection)
                }
                // The one connection is idle again, once.
                let idle = try pool.takeIdle()
                #expect(idle === held)
                #expect(try pool.takeIdle() == nil)
                #expect(pool.waitingCallers == 0)
                if let idle { pool.release(idle) } else { break }
            }
            // Both outcomes happen, or the race was not tried.
            #expect(served > 0 && served < 300, "served \(served) of 300")
        }
    }
}

/// A gate tasks wait at until it opens.
private actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }
}
