import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("A connection shared between threads serialises them around transactions")
struct ConnectionSharingTests {
    struct Boom: Error {}

    /// One thread opens a transaction, writes, pauses and rolls back; another thread writes on
    /// the same connection meanwhile. Its statement waits for the transaction to end, so its row
    /// is not rolled back with the first thread's work.
    @Test(arguments: TestDatabaseKind.allCases)
    func anotherThreadsStatementWaitsForTheTransaction(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let connection = try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)")
                return connection
            }
            let inside = DispatchSemaphore(value: 0)
            let events = Locked<[String]>([])
            let failures = Locked<[String]>([])
            let seenInside = Locked(0)
            // Expectations stay out of the threads, where a failure would not name this test.
            await onThreads([
                {
                    let error = thrownError {
                        try connection.transaction {
                            try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                            try connection.transaction {
                                try connection.execute("INSERT INTO item (n) VALUES ($1)", 11)
                            }
                            events.withLock { $0.append("began") }
                            inside.signal()
                            Thread.sleep(forTimeInterval: 0.3)
                            let count = try connection.query("SELECT n FROM item ORDER BY n").count
                            seenInside.withLock { $0 = count }
                            events.withLock { $0.append("rolling back") }
                            throw Boom()
                        }
                    }
                    if !(error is Boom) { failures.withLock { $0.append("transaction: \(String(describing: error))") } }
                },
                {
                    inside.wait()
                    do {
                        try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                        events.withLock { $0.append("other wrote") }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                },
            ])
            #expect(failures.withLock { $0 } == [])
            #expect(seenInside.withLock { $0 } == 2)
            #expect(events.withLock { $0 } == ["began", "rolling back", "other wrote"])
            let items = try await database.withConnection { try $0.query("SELECT n FROM item ORDER BY n") }
            #expect(try items.map { try $0.decode(Int.self, "n") } == [2])
        }
    }

    /// A body on the connection's queue (async code) and a thread's transaction on the same
    /// connection: the body's statement waits until the transaction commits, and the thread's
    /// transaction sees none of it.
    @Test(arguments: TestDatabaseKind.allCases)
    func performWaitsForAThreadsTransaction(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 1) { database in
            let connection = try await database.withConnection { connection in
                try connection.executeScript("CREATE TABLE item (n BIGINT PRIMARY KEY)")
                return connection
            }
            let inside = DispatchSemaphore(value: 0)
            let seenInside = Locked<[Int]>([])
            let thread = Thread {
                try? connection.transaction {
                    try connection.execute("INSERT INTO item (n) VALUES ($1)", 1)
                    inside.signal()
                    Thread.sleep(forTimeInterval: 0.3)
                    let rows = try connection.query("SELECT n FROM item ORDER BY n")
                    seenInside.withLock { $0 = rows.compactMap { try? $0.decode(Int.self, "n") } }
                }
            }
            thread.start()
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    inside.wait()
                    continuation.resume()
                }
            }
            let count = try await connection.perform { connection in
                try connection.execute("INSERT INTO item (n) VALUES ($1)", 2)
                return try connection.query("SELECT count(*) AS n FROM item")[0].decode(Int.self, "n")
            }
            #expect(seenInside.withLock { $0 } == [1])
            #expect(count == 2)
        }
    }
}
