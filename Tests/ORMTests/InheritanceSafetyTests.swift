import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

/// A second model that claims pulp_file's `file.file` under `Remote`.
struct ImpostorRemote: DetailModel {
    static let tableName = "impostor_remote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: Remote
}

/// A model that claims pulp_file's table under another type name.
struct TableThief: DetailModel {
    static let tableName = "file_fileremote"
    static let appLabel = "thief"
    static let typeName = "thief"
    var parent: Remote
}

/// A detail that claims its master's own `pulp_type`, `core.remote`.
struct ShadowRemote: DetailModel {
    static let tableName = "shadow_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    var parent: Remote
}

/// A detail two levels down that claims its parent's `pulp_type`, `file.file`.
struct ShadowFileRemote: DetailModel {
    static let tableName = "shadow_fileremote"
    static let appLabel = "file"
    static let typeName = "file"
    var parent: FileRemote
}

/// A master that declares `created` read-only, as a server-set timestamp.
@Columns
struct AuditedRemote: MasterModel {
    static let tableName = "core_remote"
    static let appLabel = "core"
    static let typeName = "remote"
    static var readOnlyFields: Set<String> { ["created"] }
    static var serializerDefaults: [String: JSONValue] {
        [
            "policy": .string("immediate"),
            "created": .string(TimestampFormat.string(from: Date(timeIntervalSince1970: 1_700_000_000))),
        ]
    }
    var pulpID = UUID()
    var pulpType = ""
    var name: String
    var url: String
    var policy: String
    var created = Date(timeIntervalSince1970: 1_700_000_000)

    enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", name, url, policy, created
    }
}

@Suite("Input from strangers, registration and casting rules")
struct InheritanceSafetyTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func serializerIgnoresTheKeyPulpTypeAndReadOnlyFields(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection(createReferenceTables)
            let chosenKey = UUID()
            let body = Data(
                """
                {"pulp_id": "\(chosenKey.uuidString)", "pulp_type": "evil.evil", "name": "n", "url": "https://x/",
                 "manifest": "M"}
                """.utf8)
            var remote = try Serializer<FileRemote>().validated(json: body)
            #expect(remote.pulpID != chosenKey)
            #expect(remote.pulpType != "evil.evil")
            try remote.create(on: database)
            let stored = try #require(try Remote.query(on: database).filter(Column("name") == "n").first())
            #expect(stored.pulpID == remote.pulpID)
            #expect(stored.pulpType == "file.file")
            #expect(try Remote.find(chosenKey, on: database) == nil)

            // A read-only field of the master applies to its detail's serializer too.
            let audited = try Serializer<AuditedRemote>().validated(
                json: Data(#"{"name": "a", "url": "https://a/", "created": "2001-01-01T00:00:00Z"}"#.utf8))
            #expect(audited.created == Date(timeIntervalSince1970: 1_700_000_000))
            let detail = try Serializer<AuditedDetail>().validated(
                json: Data(#"{"name": "d", "url": "https://d/", "created": "2001-01-01T00:00:00Z"}"#.utf8))
            #expect(detail.created == Date(timeIntervalSince1970: 1_700_000_000))
            // A wrong type in an ignored field is not an error either: the field is not read.
            _ = try Serializer<FileRemote>().validated(
                json: Data(#"{"name": "b", "url": "https://b/", "pulp_id": 7}"#.utf8))
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aValueBuiltFromInputCannotRetypeItsRowOnUpdate(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection(createReferenceTables)
            var stored = makeFileRemote("before")
            try await stored.create(on: database)
            // A value from input, as a library caller's PUT would build it: the serializer leaves
            // `pulp_type` empty and generates a key, which the caller replaces with the stored one.
            var changed = try Serializer<FileRemote>().validated(
                json: Data(#"{"name": "after", "url": "https://after/", "pulp_type": "evil.evil"}"#.utf8))
            changed.pulpID = stored.pulpID
            try await changed.update(on: database)
            let master = try #require(try await Remote.find(stored.pulpID, on: database))
            #expect(master.name == "after")
            #expect(master.pulpType == "file.file")
            #expect(try await master.cast(on: database, registry: try referenceRegistry()) is FileRemote)
            // The synchronous path, on a connection held by the caller.
            changed.name = "sync"
            let renamed = changed
            try await database.withConnection { connection in try renamed.update(on: connection) }
            #expect(try await Remote.find(stored.pulpID, on: database)?.pulpType == "file.file")
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aMasterCreatedDirectlyGetsItsOwnPulpType(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try await database.withConnection(createReferenceTables)
            var remote = Remote(name: "bare", url: "https://bare/")
            try await remote.create(on: database)
            #expect(remote.pulpType == "core.remote")
            #expect(Remote.pulpType == "core.remote")
            let stored = try #require(try await Remote.find(remote.pulpID, on: database))
            #expect(stored.pulpType == "core.remote")
            var repository = Repository(name: "repo")
            try await repository.create(on: database)
            #expect(try await Repository.find(repository.pulpID, on: database)?.pulpType == "core.repository")
            // Cast: a value of the master's own type is the master itself, with no detail query.
            #expect(try await stored.cast(on: database, registry: try referenceRegistry()) as? Remote == stored)
        }
    }

    /// A detail under an ancestor's own `pulp_type` would take every row of the ancestor's own
    /// type when cast, and find no row in its table for them: refused, even with no other
    /// detail registered.
    @Test func registeringADetailUnderAnAncestorsPulpTypeThrowsNamingBoth() throws {
        let registry = ModelRegistry()
        let master = try #require(throws: ModelRegistryError.self) { try registry.register(ShadowRemote.self) }
        #expect(master.description.contains("ShadowRemote") && master.description.contains("core.remote"))
        #expect(master.description.contains("to Remote"))
        let parent = try #require(throws: ModelRegistryError.self) { try registry.register(ShadowFileRemote.self) }
        #expect(parent.description.contains("ShadowFileRemote") && parent.description.contains("file.file"))
        #expect(parent.description.contains("to FileRemote"))
        #expect(registry.detailTypes(of: Remote.self).isEmpty)
    }

    @Test func registeringTwoTypesUnderOnePulpTypeOrTableThrowsNamingBoth() throws {
        let registry = try referenceRegistry()
        try registry.register(FileRemote.self)  // again: nothing to do
        let pulpType = try #require(throws: ModelRegistryError.self) { try registry.register(ImpostorRemote.self) }
        #expect(pulpType.description.contains("ImpostorRemote"))
        #expect(pulpType.description.contains("FileRemote"))
        #expect(pulpType.description.contains("file.file"))
        let table = try #require(throws: ModelRegistryError.self) { try registry.register(TableThief.self) }
        #expect(table.description.contains("TableThief") && table.description.contains("FileRemote"))
        #expect(table.description.contains("file_fileremote"))
        // Nothing was registered by the refused calls.
        #expect(registry.detailType(of: Remote.self, pulpType: "thief.thief") == nil)
        #expect(registry.detailType(of: Remote.self, pulpType: "file.file") == FileRemote.self)
        // One pulp_type under two masters is fine (pulp_file's FileRemote and FileRepository).
        #expect(registry.detailType(of: Repository.self, pulpType: "file.file") == FileRepository.self)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func castOfAnUnregisteredTypeReturnsItsNearestRegisteredAncestor(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection(createReferenceTables)
            let registry = ModelRegistry()
            try registry.register(FileRemote.self)  // MirrorFileRemote is not registered
            var mirror = MirrorFileRemote(parent: makeFileRemote("deep", manifest: "m"), priority: 3)
            try mirror.create(on: database)
            var file = makeFileRemote("file")
            try file.create(on: database)
            var bare = Remote(name: "bare", url: "https://bare/")
            try bare.create(on: database)
            // A row of a plugin that is not loaded at all: no detail level is registered.
            try database.withConnection { connection in
                _ = try connection.execute(
                    "UPDATE core_remote SET pulp_type = \(connection.dialect.placeholder(1)) WHERE name = \(connection.dialect.placeholder(2))",
                    ["gone.gone", "bare"])
            }
            let masters = try Remote.query(on: database).order(Column("name")).all()
            #expect(masters.map(\.name) == ["bare", "deep", "file"])
            log.reset()
            let cast = try Remote.cast(masters, on: database, registry: registry)
            #expect(log.statements.count == 2)
            #expect(type(of: cast[0]) == Remote.self)
            let middle = try #require(cast[1] as? FileRemote)
            #expect(middle.parent == mirror.parent.parent)
            #expect(middle.manifest == "m")
            #expect(cast[2] as? FileRemote == file)
            #expect(try masters[1].cast(on: database, registry: registry) is FileRemote)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func typedCastReturnsTheNamedTypeOrAClearError(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection(createReferenceTables)
            var files: [FileRemote] = []
            for index in 0..<5 {
                var file = makeFileRemote("f\(index)", manifest: "m\(index)")
                try file.create(on: database)
                files.append(file)
            }
            var mirror = MirrorFileRemote(parent: makeFileRemote("mirror"), priority: 1)
            try mirror.create(on: database)
            let fileMasters = try Remote.query(on: database).filter(Column("pulp_type") == "file.file").order(
                Column("name")
            ).all()
            log.reset()
            let typed: [FileRemote] = try Remote.cast(fileMasters, as: FileRemote.self, on: database)
            #expect(typed == files)
            #expect(log.statements.count == 1)
            // A value of a type extending FileRemote reads as its FileRemote level.
            let all = try Remote.query(on: database).order(Column("name")).all()
            #expect(try Remote.cast(all, as: FileRemote.self, on: database).count == 6)

            var bare = Remote(name: "a bare one", url: "https://bare/")
            try bare.create(on: database)
            let withBare = try Remote.query(on: database).order(Column("name")).all()
            let error = try #require(throws: PersistenceError.self) {
                try Remote.cast(withBare, as: FileRemote.self, on: database)
            }
            #expect(error.description.contains("value 0"))
            #expect(error.description.contains("core.remote"))
            #expect(error.description.contains("FileRemote"))
        }
    }
}

/// A detail of ``AuditedRemote``: its serializer ignores the master's read-only `created`.
struct AuditedDetail: DetailModel {
    static let tableName = "audited_detail"
    static let appLabel = "audit"
    static let typeName = "audit"
    var parent: AuditedRemote
}
