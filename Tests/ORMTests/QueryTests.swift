import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

@Suite("Queries, atomic updates and plain models")
struct QueryTests {
    static let hostileNames = [
        "it's", "\"quoted\"", "a; DROP TABLE core_remote; --", "back\\slash", "ünïcødé 日本語 🚀", "$1 ?1 :x",
        String(repeating: "long ", count: 20_000),
    ]

    @Test(arguments: TestDatabaseKind.allCases)
    func filterOrderLimitCountWithHostileValues(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            for (index, name) in Self.hostileNames.enumerated() {
                var remote = makeFileRemote(name)
                remote.downloadConcurrency = index + 1
                try remote.create(on: database)
            }
            for name in Self.hostileNames {
                let found = try FileRemote.query(on: database).filter(Column("name") == name).all()
                #expect(found.map(\.name) == [name])
            }
            let ordered = try Remote.query(on: database).order(Column("download_concurrency").descending).limit(3).all()
            #expect(ordered.map(\.downloadConcurrency) == [7, 6, 5])
            let page = try Remote.query(on: database).order(Column("download_concurrency")).limit(2, offset: 2).all()
            #expect(page.map(\.downloadConcurrency) == [3, 4])
            #expect(try Remote.query(on: database).filter(Column("download_concurrency") > 4).count() == 3)
            let combined = try FileRemote.query(on: database)
                .filter(
                    (Column("download_concurrency") <= 2 || Column("download_concurrency") >= 7)
                        && Column("manifest") == nil
                )
                .count()
            #expect(combined == 3)
            #expect(try Remote.query(on: database).filter(Column("download_concurrency").in([1, 3, 99])).count() == 2)
            #expect(try Remote.query(on: database).filter(Column("download_concurrency").in([Int]())).count() == 0)
            #expect(try Remote.query(on: database).filter(Column("name").like("%quoted%")).count() == 1)
            #expect(try Remote.query(on: database).filter(!(Column("name") == "it's")).count() == 6)
            // The primary key, present in both joined tables, filters without ambiguity.
            let first = try #require(try FileRemote.query(on: database).first())
            #expect(try FileRemote.find(first.pulpID, on: database) == first)
            #expect(try FileRemote.find(UUID(), on: database) == nil)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func plainModelGetsItsGeneratedKey(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            var first = ProgressReport(code: "sync", done: 0, total: 10)
            var second = ProgressReport(code: "publish", done: 0, total: 5)
            try first.create(on: database)
            try second.create(on: database)
            let firstID = try #require(first.id)
            let secondID = try #require(second.id)
            #expect(firstID != secondID)
            #expect(try ProgressReport.find(secondID, on: database) == second)
            second.total = 6
            try second.update(on: database)
            #expect(try ProgressReport.find(secondID, on: database)?.total == 6)
            try first.delete(on: database)
            #expect(try ProgressReport.query(on: database).count() == 1)
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func atomicUpdatesCountEveryIncrementUnderConcurrency(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection(createReferenceTables)
            var report = ProgressReport(code: "sync", done: 0, total: 400)
            try await report.create(on: database)
            let id = try #require(report.id)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<100 {
                            try await database.withConnection { connection in
                                try ProgressReport.query(on: connection).filter(Column("id") == id)
                                    .update(Column("done").set(to: Column("done") + 1))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await ProgressReport.find(id, on: database)?.done == 400)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func bulkUpdateAndDeleteOnDetailTypes(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            for index in 0..<6 {
                var remote = makeFileRemote("r\(index)", manifest: "old")
                remote.downloadConcurrency = index + 1
                try remote.create(on: database)
            }
            var repository = FileRepository(parent: Repository(name: "repo"))
            try repository.create(on: database)
            // Filters may use master columns; assignments go to the detail's own table.
            let changed = try FileRemote.query(on: database).filter(Column("download_concurrency") >= 4)
                .update(Column("manifest").set(to: "new"))
            #expect(changed == 3)
            #expect(try FileRemote.query(on: database).filter(Column("manifest") == "new").count() == 3)
            let masterChanged = try Remote.query(on: database).filter(Column("pulp_type") == "file.file")
                .update(Column("policy").set(to: "streamed"))
            #expect(masterChanged == 6)
            let deleted = try FileRemote.query(on: database).filter(Column("manifest") == "old").delete()
            #expect(deleted == 3)
            #expect(try Remote.query(on: database).count() == 3)
            #expect(try FileRemote.query(on: database).count() == 3)
            // Another master's detail of the same pulp_type is untouched.
            #expect(try FileRepository.query(on: database).count() == 1)
            #expect(try FileRepository.query(on: database).first()?.name == "repo")
        }
    }
}
