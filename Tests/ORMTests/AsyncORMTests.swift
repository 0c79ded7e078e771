import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

/// The cases of the synchronous tests, through the async entry points server code uses: one
/// call at a time on the database, and on a session's connection (`Database.withSession`).
@Suite("The ORM's async entry points")
struct AsyncORMTests {
    /// Runs `body` with the database itself, or in a session with its connection.
    private static func through(
        _ database: Database, inSession: Bool, _ body: @escaping @Sendable (any ConnectionSource) async throws -> Void
    ) async throws {
        if inSession {
            try await database.withSession { connection in try await body(connection) }
        } else {
            try await body(database)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func createFindQueryUpdateDeleteThroughAsync(_ kind: TestDatabaseKind, inSession: Bool) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try createReferenceTables($0) }
            try await Self.through(database, inSession: inSession) { database in
                for (index, name) in QueryTests.hostileNames.enumerated() {
                    var remote = makeFileRemote(name)
                    remote.downloadConcurrency = index + 1
                    try await remote.create(on: database)
                    #expect(remote.pulpType == "file.file")
                }
                for name in QueryTests.hostileNames {
                    let found = try await FileRemote.query(on: database).filter(Column("name") == name).all()
                    #expect(found.map(\.name) == [name])
                }
                let ordered = try await Remote.query(on: database).order(Column("download_concurrency").descending)
                    .limit(3)
                    .all()
                #expect(ordered.map(\.downloadConcurrency) == [7, 6, 5])
                #expect(try await Remote.query(on: database).filter(Column("download_concurrency") > 4).count() == 3)
                let first = try #require(
                    try await FileRemote.query(on: database).order(Column("download_concurrency")).first())
                #expect(first.downloadConcurrency == 1)
                #expect(try await FileRemote.find(first.pulpID, on: database) == first)
                #expect(try await FileRemote.find(UUID(), on: database) == nil)

                var changed = first
                changed.policy = "streamed"
                changed.manifest = "async.csv"
                try await changed.update(on: database)
                #expect(try await FileRemote.find(first.pulpID, on: database) == changed)

                let bumped = try await Remote.query(on: database).filter(Column("download_concurrency") >= 6)
                    .update(Column("download_concurrency").set(to: Column("download_concurrency") + 10))
                #expect(bumped == 2)
                #expect(try await Remote.query(on: database).filter(Column("download_concurrency") > 10).count() == 2)

                try await changed.delete(on: database)
                #expect(try await FileRemote.find(first.pulpID, on: database) == nil)
                await #expect(throws: PersistenceError.self) { try await changed.delete(on: database) }
                let deleted = try await FileRemote.query(on: database).filter(Column("download_concurrency") > 10)
                    .delete()
                #expect(deleted == 2)
                #expect(try await Remote.query(on: database).count() == QueryTests.hostileNames.count - 3)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func plainModelGetsItsGeneratedKeyThroughAsync(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try createReferenceTables($0) }
            var report = ProgressReport(code: "sync", done: 0, total: 10)
            try await report.create(on: database)
            let id = try #require(report.id)
            var other = ProgressReport(code: "other", done: 0, total: 1)
            try await other.create(on: database)
            #expect(other.id != id)
            #expect(try await ProgressReport.find(id, on: database) == report)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func castThroughAsync(_ kind: TestDatabaseKind, inSession: Bool) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection { try createReferenceTables($0) }
            let registry = try referenceRegistry()
            try await Self.through(database, inSession: inSession) { database in
                var file = makeFileRemote("file one", manifest: "m1")
                try await file.create(on: database)
                var mirror = MirrorFileRemote(parent: makeFileRemote("mirror one", manifest: "m2"), priority: 7)
                try await mirror.create(on: database)

                let masters = try await Remote.query(on: database).order(Column("name")).all()
                #expect(masters.count == 2)
                #expect(try await masters[0].cast(on: database, registry: registry) as? FileRemote == file)
                let all = try await Remote.cast(masters, on: database, registry: registry)
                #expect(all[0] as? FileRemote == file)
                #expect(all[1] as? MirrorFileRemote == mirror)
                let typed: [FileRemote] = try await Remote.cast(masters, as: FileRemote.self, on: database)
                #expect(typed.map(\.name) == ["file one", "mirror one"])
                await #expect(throws: PersistenceError.self) {
                    try await Remote.cast(masters, as: MirrorFileRemote.self, on: database)
                }
            }
        }
    }
}
