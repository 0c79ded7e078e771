import Foundation
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

@Suite("Backfill: checkpoints and resuming")
struct BackfillResumeTests {
    @Test(
        "stopped after k batches, a second run resumes and every row is done exactly once",
        arguments: TestDatabaseKind.allCases)
    func resumeAfterInterruption(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(2000, on: connection)
                let interruption = BackfillInterruption()
                let recorder = ProgressRecorder { if $0.batches == 3 { interruption.request() } }
                let settings = BackfillSettings(batchSize: 250)
                let error = thrownError {
                    try Backfiller(
                        connection: connection, settings: settings, interruption: interruption,
                        onProgress: recorder.record
                    ).run(BackfillFixture.counting, job: BackfillFixture.job())
                }
                let interrupted = try #require(error as? BackfillInterrupted)
                #expect(interrupted.progress.rowsDone == 750 && interrupted.lastKey == "[750]")
                #expect(interrupted.description.contains("resumes after key [750]"))
                #expect(try BackfillFixture.counters(on: connection) == [0: 1250, 1: 750])
                let saved = try #require(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection))
                #expect(saved.rowsDone == 750 && saved.batches == 3 && saved.lastKey == "[750]" && !saved.isFinished)

                let resumed = ProgressRecorder()
                let result = try Backfiller(connection: connection, settings: settings, onProgress: resumed.record)
                    .run(BackfillFixture.counting, job: BackfillFixture.job())
                #expect(try BackfillFixture.counters(on: connection) == [1: 2000])
                #expect(result.rowsDone == 2000 && result.rowsThisRun == 1250 && result.batches == 9)
                #expect(resumed.rowsPerBatch == [250, 250, 250, 250, 250, 0])
            }
        }
    }

    @Test(
        "a failing batch is rolled back whole; earlier batches stay done and the rerun finishes",
        arguments: TestDatabaseKind.allCases)
    func failedBatch(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(1000, check: "n <= 1", on: connection)
                try connection.execute("UPDATE item SET n = 1 WHERE id = 555")
                let backfiller = Backfiller(connection: connection, settings: BackfillSettings(batchSize: 100))
                let error = thrownError { try backfiller.run(BackfillFixture.counting, job: BackfillFixture.job()) }
                let failure = try #require(error as? BackfillError)
                #expect((failure.underlying as? DatabaseError)?.isCheckViolation == true)
                #expect(failure.description.contains("a batch after key [500] failed after 1 attempt(s)"))
                #expect(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection)?.rowsDone == 500)
                #expect(try BackfillFixture.counters(on: connection) == [0: 499, 1: 501])

                try connection.execute("UPDATE item SET n = 0 WHERE id = 555")
                try backfiller.run(BackfillFixture.counting, job: BackfillFixture.job())
                #expect(try BackfillFixture.counters(on: connection) == [1: 1000])
            }
        }
    }

    @Test(
        "a checkpoint of another definition is refused; another batch size is not", arguments: TestDatabaseKind.allCases
    )
    func changedDefinition(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(100, on: connection)
                let interruption = BackfillInterruption()
                _ = thrownError {
                    try Backfiller(
                        connection: connection, settings: BackfillSettings(batchSize: 10), interruption: interruption,
                        onProgress: { if $0.batches == 1 { interruption.request() } }
                    ).run(BackfillFixture.counting, job: BackfillFixture.job())
                }
                let edited = Backfill(table: "item", set: [.init("n", "n + 2")])
                let refusal = thrownError {
                    try Backfiller(connection: connection).run(edited, job: BackfillFixture.job())
                }
                #expect(
                    (refusal as? MigrationRefusal)?.message.hasPrefix(
                        "backfill core/0001_test#0 was started as 'UPDATE \"item\" SET \"n\" = n + 1, \"done\" = 1' and is now 'UPDATE \"item\" SET \"n\" = n + 2'"
                    ) == true)
                var resized = BackfillFixture.counting
                resized.batchSize = 33
                let result = try Backfiller(connection: connection).run(resized, job: BackfillFixture.job())
                #expect(result.rowsThisRun == 90 && result.batches == 1 + 3)
                #expect(try BackfillFixture.counters(on: connection) == [1: 100])
            }
        }
    }

    @Test(
        "a runner whose checkpoint moved under it stops and rolls its batch back", arguments: TestDatabaseKind.engines)
    func competingRunner(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 2) { database in
            try database.withConnection { try BackfillFixture.makeItems(600, on: $0) }
            let other = Backfill(table: "item", set: BackfillFixture.counting.assignments)
            let error = thrownError {
                _ = try database.withConnection { connection in
                    try Backfiller(
                        connection: connection, settings: BackfillSettings(batchSize: 100),
                        onProgress: { progress in
                            guard progress.batches == 1 else { return }
                            // Another process finishes the same backfill meanwhile.
                            _ = try? database.withConnection { second in
                                try Backfiller(connection: second, settings: BackfillSettings(batchSize: 100))
                                    .run(other, job: BackfillFixture.job())
                            }
                        }
                    ).run(BackfillFixture.counting, job: BackfillFixture.job())
                }
            }
            #expect((error as? MigrationRefusal)?.message.contains("is being run by another process") == true)
            try database.withConnection { connection throws in
                #expect(try BackfillFixture.counters(on: connection) == [1: 600])
                #expect(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection)?.isFinished == true)
            }
        }
    }

    @Test(
        "the checkpoint table holds the job, definition, last key, counts and times; clear removes it",
        arguments: TestDatabaseKind.allCases)
    func checkpointContents(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                #expect(try BackfillCheckpoint.all(on: connection).isEmpty)
                try BackfillFixture.makeItems(450, on: connection)
                let before = Date()
                try Backfiller(connection: connection, settings: BackfillSettings(batchSize: 200))
                    .run(BackfillFixture.counting, job: BackfillFixture.job(2))
                let all = try BackfillCheckpoint.all(on: connection)
                #expect(all.count == 1)
                let checkpoint = try #require(all.first)
                #expect(checkpoint.job == BackfillJob(migration: "core/0001_test", operation: 2))
                #expect(checkpoint.table == "item" && checkpoint.definition == BackfillFixture.counting.definition)
                #expect(checkpoint.lastKey == "[400]" && checkpoint.rowsDone == 450 && checkpoint.rowsTotal == 450)
                #expect(checkpoint.batches == 3 && checkpoint.isFinished)
                #expect(
                    checkpoint.startedAt >= before.addingTimeInterval(-1)
                        && checkpoint.startedAt <= checkpoint.updatedAt)
                #expect(checkpoint.finishedAt == checkpoint.updatedAt)
                let columns = try connection.query("SELECT * FROM tandem_backfills")[0].columns
                #expect(
                    columns == [
                        "migration", "operation", "table_name", "definition", "last_key", "rows_done", "rows_total",
                        "batches", "started_at", "updated_at", "finished_at",
                    ])

                let again = try Backfiller(connection: connection).run(
                    BackfillFixture.counting, job: BackfillFixture.job(2))
                #expect(again.isFinished && again.rowsThisRun == 0)
                #expect(try BackfillFixture.counters(on: connection) == [1: 450])

                try BackfillCheckpoint.clear(migration: "core/0001_test", on: connection)
                #expect(try BackfillCheckpoint.all(on: connection).isEmpty)
            }
        }
    }
}
