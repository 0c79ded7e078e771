import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

@Suite("Master/detail models, as in the reference")
struct MasterDetailTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func detailQueryReturnsCompleteDetailValues(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            var remote = makeFileRemote("some remote name", manifest: "PULP_MANIFEST")
            remote.downloadConcurrency = 5
            remote.headers = ["Authorization": "it's \"quoted\""]
            try remote.create(on: database)
            #expect(remote.pulpType == "file.file")

            let fetched = try #require(
                try FileRemote.query(on: database).filter(Column("name") == "some remote name").first())
            #expect(fetched == remote)
            #expect(type(of: fetched) == FileRemote.self)
            #expect(fetched.url == "https://example.com/some remote name/")
            #expect(fetched.manifest == "PULP_MANIFEST")
            #expect(fetched.headers == ["Authorization": "it's \"quoted\""])
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func detailWritesMasterFieldsAsItsOwn(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            var remote = makeFileRemote("r1")
            try remote.create(on: database)
            var myFileRemote = try #require(try FileRemote.query(on: database).filter(Column("name") == "r1").first())
            myFileRemote.policy = "streamed"
            myFileRemote.manifest = "m.csv"
            try myFileRemote.update(on: database)

            let master = try #require(try Remote.find(remote.pulpID, on: database))
            #expect(master.policy == "streamed")
            let again = try #require(try FileRemote.find(remote.pulpID, on: database))
            #expect(again.manifest == "m.csv")
            #expect(again.policy == "streamed")
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func masterPropertyIsTheCompleteMasterValue(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            var remote = makeFileRemote("r")
            remote.downloadConcurrency = 3
            try remote.create(on: database)
            let myMasterRemote = try #require(try FileRemote.find(remote.pulpID, on: database)).master
            #expect(type(of: myMasterRemote) == Remote.self)
            // Unlike Django's, every master field is loaded, not only the key.
            let fromTable = try #require(try Remote.find(remote.pulpID, on: database))
            #expect(myMasterRemote == fromTable)
            #expect(myMasterRemote.downloadConcurrency == 3)
            #expect(myMasterRemote.pulpType == "file.file")
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func masterQueryFiltersOnPulpTypeAndCasts(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            let registry = try referenceRegistry()
            var file = makeFileRemote("file one", manifest: "m1")
            try file.create(on: database)
            var mirror = MirrorFileRemote(parent: makeFileRemote("mirror one", manifest: "m2"), priority: 7)
            try mirror.create(on: database)
            var plain = Remote(name: "plain", url: "http://x/")
            try plain.create(on: database)

            let items = try Remote.query(on: database).filter(Column("pulp_type") == "file.file").all()
            #expect(items.map(\.name) == ["file one"])
            let myMasterRemote = items[0]
            #expect(type(of: myMasterRemote) == Remote.self)

            let myDetailRemote = try myMasterRemote.cast(on: database, registry: registry)
            let asFile = try #require(myDetailRemote as? FileRemote)
            #expect(asFile == file)

            // A detail of a detail casts to the most derived type.
            let mirrorMaster = try #require(
                try Remote.query(on: database).filter(Column("pulp_type") == "mirror.mirror").first())
            let mostDerived = try #require(try mirrorMaster.cast(on: database, registry: registry) as? MirrorFileRemote)
            #expect(mostDerived == mirror)
            #expect(mostDerived.manifest == "m2")
            #expect(mostDerived.name == "mirror one")
            #expect(mostDerived.priority == 7)

            // A value of the master's own type (core.remote) stays a master value.
            let unregistered = try #require(try Remote.query(on: database).filter(Column("name") == "plain").first())
            #expect(try unregistered.cast(on: database, registry: registry) as? Remote == plain)

            // Querying a detail type returns its sub-details too, as values of the queried type.
            let files = try FileRemote.query(on: database).order(Column("name")).all()
            #expect(files.map(\.name) == ["file one", "mirror one"])
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func castingAListCostsOneQueryPerDetailType(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection(createReferenceTables)
            let registry = try referenceRegistry()
            for index in 0..<30 {
                if index % 3 == 0 {
                    var mirror = MirrorFileRemote(parent: makeFileRemote("r\(index)"), priority: index)
                    try mirror.create(on: database)
                } else {
                    var file = makeFileRemote("r\(index)")
                    try file.create(on: database)
                }
            }
            let masters = try Remote.query(on: database).order(Column("name")).all()
            #expect(masters.count == 30)
            log.reset()
            let cast = try Remote.cast(masters, on: database, registry: registry)
            #expect(log.statements.count == 2)
            #expect(log.statements.allSatisfy { $0.hasPrefix("SELECT") })
            #expect(cast.count == 30)
            for (master, value) in zip(masters, cast) {
                #expect(value.master as? Remote == master)
                if master.pulpType == "mirror.mirror" {
                    #expect(value is MirrorFileRemote)
                } else {
                    #expect(value is FileRemote)
                }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func deletingAMasterRowRemovesItsDetailRows(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            var mirror = MirrorFileRemote(parent: makeFileRemote("deep"), priority: 1)
            try mirror.create(on: database)
            var other = makeFileRemote("other")
            try other.create(on: database)

            let deleted = try Remote.query(on: database).filter(Column("name") == "deep").delete()
            #expect(deleted == 1)
            try database.withConnection { connection in
                let files = try connection.query("SELECT count(*) FROM file_fileremote")[0].decode(Int.self, at: 0)
                let mirrors = try connection.query("SELECT count(*) FROM mirror_mirrorfileremote")[0].decode(
                    Int.self, at: 0)
                #expect(files == 1)
                #expect(mirrors == 0)
            }
            // Deleting a detail value removes its master row too.
            try other.delete(on: database)
            #expect(try Remote.query(on: database).count() == 0)
            #expect(throws: PersistenceError.self) { try other.delete(on: database) }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aFailedDetailWriteLeavesTheMasterRowUntouched(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try createReferenceTables(connection)
                // A detail-only constraint: the master row is written first, then the detail row fails.
                try connection.executeScript("CREATE UNIQUE INDEX file_manifest_unique ON file_fileremote (manifest)")
            }
            var first = makeFileRemote("first", manifest: "same")
            try first.create(on: database)
            var second = makeFileRemote("second", manifest: "same")
            let insertError = try #require(throws: DatabaseError.self) { try second.create(on: database) }
            #expect(insertError.isUniqueViolation)
            #expect(try Remote.query(on: database).count() == 1)
            #expect(try Remote.query(on: database).filter(Column("name") == "second").count() == 0)

            var renamed = makeFileRemote("third", manifest: "other")
            try renamed.create(on: database)
            renamed.name = "third renamed"
            renamed.manifest = "same"
            #expect(throws: DatabaseError.self) { try renamed.update(on: database) }
            let stored = try #require(try FileRemote.find(renamed.pulpID, on: database))
            #expect(stored.name == "third")
            #expect(stored.manifest == "other")
        }
    }
}
