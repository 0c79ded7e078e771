import Foundation
import TandemDatabase
import TandemMigrations
import TandemTesting
import Testing

@Suite("Backfill: batches, filters and keys")
struct BackfillEngineTests {
    @Test("every row is visited exactly once, in batches of the asked size", arguments: TestDatabaseKind.allCases)
    func exactlyOnce(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(2500, on: connection)
                let recorder = ProgressRecorder()
                log.reset()
                let result = try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 300), onProgress: recorder.record
                ).run(BackfillFixture.counting, job: BackfillFixture.job())
                #expect(try BackfillFixture.counters(on: connection) == [1: 2500])
                #expect(result.isFinished && result.rowsDone == 2500 && result.batches == 9)
                #expect(recorder.rowsPerBatch == Array(repeating: 300, count: 8) + [100])
                #expect(log.statements(startingWith: "UPDATE \"item\"").count == 9)
            }
        }
    }

    @Test("a file's batch_size wins over the setting", arguments: TestDatabaseKind.allCases)
    func fileBatchSize(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(1000, on: connection)
                var backfill = BackfillFixture.counting
                backfill.batchSize = 250
                let recorder = ProgressRecorder()
                try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 7), onProgress: recorder.record
                )
                .run(backfill, job: BackfillFixture.job())
                #expect(recorder.rowsPerBatch == [250, 250, 250, 250, 0])
                #expect(try BackfillFixture.counters(on: connection) == [1: 1000])
            }
        }
    }

    @Test("the throttle pauses between batches", arguments: TestDatabaseKind.allCases)
    func throttle(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(50, on: connection)
                let settings = BackfillSettings(batchSize: 10, throttle: .milliseconds(60))
                let result = try Backfiller(connection: connection, settings: settings)
                    .run(BackfillFixture.counting, job: BackfillFixture.job())
                // Six batches (the last one empty), so five pauses.
                #expect(result.batches == 6)
                #expect(result.elapsed >= .milliseconds(300))
            }
        }
    }

    @Test(
        "only rows meeting 'where' are updated, and batches count matching rows", arguments: TestDatabaseKind.allCases)
    func whereFilters(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(1000, on: connection)
                try connection.execute("UPDATE item SET done = 1 WHERE id % 3 = 0")
                var backfill = BackfillFixture.counting
                backfill.predicate = "done IS NULL"
                let recorder = ProgressRecorder()
                let result = try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 100), onProgress: recorder.record
                ).run(backfill, job: BackfillFixture.job())
                #expect(result.rowsDone == 667 && result.rowsTotal == 667)
                #expect(recorder.rowsPerBatch == Array(repeating: 100, count: 6) + [67])
                let skipped = try connection.query("SELECT count(*) FROM item WHERE id % 3 = 0 AND n = 0")
                #expect(try skipped[0].decode(Int.self, at: 0) == 333)
                #expect(try BackfillFixture.counters(on: connection) == [0: 333, 1: 667])
            }
        }
    }

    @Test("an empty table finishes in one empty batch", arguments: TestDatabaseKind.allCases)
    func emptyTable(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try BackfillFixture.makeItems(0, on: connection)
                let result = try Backfiller(connection: connection).run(
                    BackfillFixture.counting, job: BackfillFixture.job())
                #expect(result.isFinished && result.rowsDone == 0 && result.rowsTotal == 0 && result.batches == 1)
                let checkpoint = try #require(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection))
                #expect(checkpoint.isFinished && checkpoint.lastKey == nil)
            }
        }
    }

    @Test("UUID primary keys are walked in key order, each row once", arguments: TestDatabaseKind.allCases)
    func uuidKeys(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.execute("CREATE TABLE tagged (id UUID PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)")
                try connection.transaction {
                    for _ in 0..<700 {
                        try connection.execute(
                            "INSERT INTO tagged (id) VALUES (\(connection.dialect.placeholder(1)))", [.uuid(UUID())])
                    }
                }
                let recorder = ProgressRecorder()
                try Backfiller(
                    connection: connection, settings: BackfillSettings(batchSize: 64), onProgress: recorder.record
                )
                .run(Backfill(table: "tagged", set: [.init("n", "n + 1")]), job: BackfillFixture.job())
                #expect(try BackfillFixture.counters("tagged", on: connection) == [1: 700])
                #expect(recorder.rowsPerBatch == Array(repeating: 64, count: 10) + [60])
                let checkpoint = try #require(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection))
                let tenth = try connection.query("SELECT id FROM tagged ORDER BY id LIMIT 1 OFFSET 639")[0].decode(
                    UUID.self, at: 0)
                #expect(checkpoint.lastKey == "[\"\(tenth.uuidString.lowercased())\"]")
            }
        }
    }

    @Test("a composite key is walked as a row value", arguments: TestDatabaseKind.allCases)
    func compositeKeys(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.execute(
                    "CREATE TABLE placed (region TEXT, id INTEGER, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (region, id))"
                )
                try connection.transaction {
                    for region in ["eu", "us", "ap"] {
                        for id in 1...150 {
                            try connection.execute(
                                "INSERT INTO placed (region, id) VALUES (\(connection.dialect.placeholder(1)), \(connection.dialect.placeholder(2)))",
                                [.text(region), .integer(Int64(id))])
                        }
                    }
                }
                let interruption = BackfillInterruption()
                let recorder = ProgressRecorder { if $0.batches == 4 { interruption.request() } }
                let backfill = Backfill(table: "placed", set: [.init("n", "n + 1")])
                let stopped = thrownError {
                    try Backfiller(
                        connection: connection, settings: BackfillSettings(batchSize: 40), interruption: interruption,
                        onProgress: recorder.record
                    ).run(backfill, job: BackfillFixture.job())
                }
                #expect(stopped is BackfillInterrupted)
                #expect(try BackfillCheckpoint.load(BackfillFixture.job(), on: connection)?.lastKey == "[\"eu\",10]")
                try Backfiller(connection: connection, settings: BackfillSettings(batchSize: 40))
                    .run(backfill, job: BackfillFixture.job())
                #expect(try BackfillFixture.counters("placed", on: connection) == [1: 450])
            }
        }
    }
}
