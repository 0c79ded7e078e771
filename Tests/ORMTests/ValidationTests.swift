import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

@Suite("Validation before save and serializers")
struct ValidationTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func invalidValueWritesNothingAndReportsEveryField(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection(createReferenceTables)
            var remote = FileRemote(parent: Remote(name: "", url: "ftp://nope", policy: "sometimes"), manifest: "")
            remote.downloadConcurrency = 0
            log.reset()
            let errors = try #require(throws: ValidationErrors.self) { try remote.create(on: database) }
            #expect(errors.fields == ["name", "url", "policy", "download_concurrency", "manifest"])
            #expect(errors.description.contains("url: must start with http:// or https://"))
            #expect(log.statements.isEmpty)
            #expect(try Remote.query(on: database).count() == 0)

            var valid = makeFileRemote("valid")
            try valid.create(on: database)
            valid.url = "gopher://x"
            let updateErrors = try #require(throws: ValidationErrors.self) { try valid.update(on: database) }
            #expect(updateErrors.fields == ["url"])
            #expect(try Remote.find(valid.pulpID, on: database)?.url == "https://example.com/valid/")
        }
    }

    @Test func serializerReportsMissingWrongTypedAndRuleErrorsTogether() throws {
        let body = Data(#"{"name": 42, "url": "ftp://x", "policy": "streamed", "download_concurrency": "many"}"#.utf8)
        let errors = try #require(throws: ValidationErrors.self) { try Serializer<FileRemote>().validated(json: body) }
        #expect(errors.messages(for: "name") == ["expected a string"])
        #expect(errors.messages(for: "download_concurrency") == ["expected an integer"])
        #expect(errors.messages(for: "url") == ["must start with http:// or https://"])
        #expect(errors.fields.sorted() == ["download_concurrency", "name", "url"])
    }

    @Test func serializerReportsMissingRequiredFields() throws {
        let errors = try #require(throws: ValidationErrors.self) {
            try Serializer<MirrorFileRemote>().validated(json: Data(#"{"url": "https://ok/"}"#.utf8))
        }
        #expect(errors.messages(for: "name") == ["this field is required"])
        #expect(errors.messages(for: "priority") == ["this field is required"])
        #expect(errors.messages(for: "url").isEmpty)
    }

    @Test func serializerRejectsNonObjects() throws {
        let errors = try #require(throws: ValidationErrors.self) { try Serializer<Remote>().validated(json: Data("[1]".utf8)) }
        #expect(errors.fields == ["body"])
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func serializedDetailSavesAndReadsBack(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            let body = Data(
                #"{"name": "from api", "url": "https://api/", "policy": "on_demand", "manifest": "M", "headers": {"a": "b"}, "priority": 3}"#
                    .utf8)
            var remote = try Serializer<MirrorFileRemote>().validated(json: body)
            try remote.create(on: database)
            let stored = try #require(try MirrorFileRemote.find(remote.pulpID, on: database))
            #expect(stored.name == "from api")
            #expect(stored.policy == "on_demand")
            #expect(stored.manifest == "M")
            #expect(stored.headers == ["a": "b"])
            #expect(stored.priority == 3)
            #expect(stored.pulpType == "mirror.mirror")
        }
    }
}
