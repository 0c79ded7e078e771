import TandemTesting
import Testing

@testable import TandemDatabase

/// PostgreSQL-only by nature: `LISTEN`/`NOTIFY` and ``PostgresSession`` exist only there.
@Suite("A PostgreSQL session's wait for notifications takes any timeout")
struct PostgresSessionWaitTests {
    /// A timeout of zero or less returns at once (to `poll`, a negative timeout means "wait
    /// forever", which would also hold the session's queue and its `close()`); one too long for
    /// a C timeout waits as long as it can rather than trapping, and returns with the
    /// notification that ends it.
    @Test func zeroNegativeAndHugeTimeouts() async throws {
        try await withTestDatabase(.postgres) { database in
            let session = try await PostgresSession.open(database.url)
            try await session.execute("LISTEN tandem_wait_test")
            for timeout in [Duration.zero, .milliseconds(-5), .seconds(-3600)] {
                let channels = try await Patience.patiently { try await session.waitForNotifications(timeout: timeout) }
                #expect(channels.isEmpty, "timeout \(timeout)")
            }
            try await database.withConnection { try $0.execute("NOTIFY tandem_wait_test") }
            let channels = try await Patience.patiently {
                try await session.waitForNotifications(timeout: .seconds(Int64.max))
            }
            #expect(channels == ["tandem_wait_test"])
            await session.close()
        }
    }
}
