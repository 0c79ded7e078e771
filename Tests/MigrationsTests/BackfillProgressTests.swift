import Foundation
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

@Suite("Backfill: progress output and interruption")
struct BackfillProgressTests {
    @Test("without a terminal, progress is logged as lines, and once finished", arguments: TestDatabaseKind.allCases)
    func logLines(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(500, on: connection)
                let every = StatementLog(), rarely = StatementLog()
                let often = BackfillProgressDisplay(.log(every.logger, interval: .zero))
                let seldom = BackfillProgressDisplay(.log(rarely.logger, interval: .seconds(3600)))
                try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 100),
                    onProgress: {
                        often.report($0); seldom.report($0)
                    }
                ).run(BackfillFixture.counting, job: BackfillFixture.job())
                let lines = every.statements
                #expect(lines.count == 7)
                #expect(lines.first == "backfill core/0001_test#0 item: 0 of ~500 rows (0%), 0 rows/s, ETA ?")
                #expect(lines[2].hasPrefix("backfill core/0001_test#0 item: 200 of ~500 rows (40%), "))
                #expect(lines[2].range(of: #", \d+ rows/s, ETA \d+:\d\d$"#, options: .regularExpression) != nil)
                #expect(lines.last?.hasPrefix("backfill core/0001_test#0 item: done, 500 rows in 6 batches, ") == true)
                #expect(rarely.statements.count == 2 && rarely.statements.last == lines.last)
            }
        }
    }

    @Test("the terminal bar shows rows, rows per second and the time left")
    func bar() {
        let progress = BackfillProgress(
            job: BackfillJob(migration: "core/0002_x", operation: 1), table: "core_task", rowsDone: 250_000,
            rowsTotal: 1_000_000, batches: 250, rowsThisRun: 200_000, elapsed: .seconds(20),
            lastBatch: .milliseconds(80),
            longestBatch: .milliseconds(120), isFinished: false)
        #expect(progress.rowsPerSecond == 10_000)
        #expect(progress.estimatedRemaining == .seconds(75))
        #expect(
            BackfillProgressDisplay.bar(for: progress)
                == "core_task [######..................]  25%  250000/~1000000 rows  10000 rows/s  ETA 1:15")
    }

    @Test("a signal requests the stop, which the next batch boundary obeys")
    func signalRequestsStop() async throws {
        let interruption = BackfillInterruption.onSignals([SIGUSR2], logger: StatementLog().logger)
        #expect(!interruption.isRequested)
        // The dispatch source starts listening asynchronously: a signal sent before it does is
        // lost, so send again (once a second, so the second-signal exit cannot trigger).
        for _ in 0..<5 where !interruption.isRequested {
            kill(getpid(), SIGUSR2)
            let deadline = ContinuousClock.now + .seconds(1)
            while !interruption.isRequested && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(interruption.isRequested)
    }
}
