import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

/// A detail whose own field is named like a field of its master, `name`.
struct NameClashRemote: DetailModel {
    static let tableName = "clash_remote"
    static let appLabel = "clash"
    static let typeName = "clash"
    var parent: Remote
    var name: String
}

/// A value that refuses text that is not a version, as `SemanticVersion` does: no stand-in
/// satisfies it.
struct StrictVersion: Codable, Hashable, Sendable {
    var text: String

    init(_ text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.contains(".") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a version"))
        }
        self.text = text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A plain `Codable` detail whose columns cannot be found from its `init(from:)`.
struct StrictDetail: DetailModel {
    static let tableName = "strict_detail"
    static let appLabel = "strict"
    static let typeName = "strict"
    var parent: Remote
    var version: StrictVersion
}

/// Read-only fields of types the serializer has no plain empty value for.
struct StatefulReport: Model {
    enum State: String, Codable, Sendable { case waiting, running }
    static let tableName = "stateful_report"
    static let primaryKey = "id"
    static var readOnlyFields: Set<String> { ["state", "tags"] }
    var id = UUID()
    var title: String
    var state: State
    var tags: [String]
}

/// A read-only field that refuses every stand-in and has no default.
@Columns
struct VersionedReport: Model {
    static let tableName = "versioned_report"
    static let primaryKey = "id"
    static var readOnlyFields: Set<String> { ["version"] }
    var id = UUID()
    var title: String
    var version: StrictVersion
}

@Suite("A model the ORM cannot use is refused with an error naming it, never a trap or a misread")
struct ModelDefinitionTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func aDetailFieldNamedLikeAFieldOfItsMasterIsRefused(_ kind: TestDatabaseKind) async throws {
        let expected = ModelDefinitionError.repeatedColumn(
            type: "NameClashRemote", column: "name", tables: ["core_remote", "clash_remote"])
        let registration = try #require(throws: ModelRegistryError.self) {
            try ModelRegistry().register(NameClashRemote.self)
        }
        #expect(registration == .invalidDefinition(expected))
        #expect(registration.description.contains("NameClashRemote") && registration.description.contains("rename"))
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try await database.withConnection(createReferenceTables)
            log.reset()
            // Unregistered, it is refused by its first statement, before any SQL runs: one name
            // cannot read, filter or write both tables' columns.
            #expect(throws: expected) { try NameClashRemote.query(on: database).all() }
            #expect(throws: expected) { try NameClashRemote.find(UUID(), on: database) }
            #expect(throws: expected) { try NameClashRemote.query(on: database).filter(Column("name") == "x").count() }
            await #expect(throws: expected) { try await NameClashRemote.find(UUID(), on: database) }
            var clash = NameClashRemote(parent: Remote(name: "m", url: "https://m/"), name: "d")
            #expect(throws: expected) { try clash.create(on: database) }
            #expect(throws: expected) { try clash.update(on: database) }
            #expect(throws: expected) { try clash.delete(on: database) }
            #expect(log.statements.isEmpty)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aModelWhoseColumnsCannotBeFoundThrowsInsteadOfTrapping(_ kind: TestDatabaseKind) async throws {
        let registration = try #require(throws: ModelRegistryError.self) {
            try ModelRegistry().register(StrictDetail.self)
        }
        guard case .invalidDefinition(.unreadableColumns(let type, _)) = registration else {
            Issue.record("expected unreadable columns, got \(registration)")
            return
        }
        #expect(type == "StrictDetail")
        #expect(registration.description.contains("@Columns"))
        try await withTestDatabase(kind) { database in
            try await database.withConnection(createReferenceTables)
            let error = try #require(throws: ModelDefinitionError.self) {
                try StrictDetail.find(UUID(), on: database)
            }
            #expect(error.description.contains("StrictDetail"))
            await #expect(throws: ModelDefinitionError.self) { try await StrictDetail.query(on: database).all() }
        }
    }

    @Test func registeringClaimsEveryTableOfTheChain() throws {
        // The middle table of MirrorFileRemote's chain belongs to FileRemote, registered or not.
        let registry = ModelRegistry()
        try registry.register(MirrorFileRemote.self)
        let thief = try #require(throws: ModelRegistryError.self) { try registry.register(TableThief.self) }
        #expect(thief == .tableTaken(table: "file_fileremote", registered: "FileRemote", refused: "TableThief"))
        try registry.register(FileRemote.self)
        #expect(registry.detailType(of: Remote.self, pulpType: "thief.thief") == nil)

        // The other way round, the deeper type is refused.
        let other = ModelRegistry()
        try other.register(TableThief.self)
        let mirror = try #require(throws: ModelRegistryError.self) { try other.register(MirrorFileRemote.self) }
        #expect(mirror == .tableTaken(table: "file_fileremote", registered: "TableThief", refused: "FileRemote"))
        #expect(other.detailTypes(of: Remote.self).count == 1)
    }

    @Test func readOnlyFieldsOfAnyTypeGetAStandInOrAnErrorNamingThem() throws {
        // A client's values for read-only fields are ignored; an enum gets its first case and a
        // list an empty one, as a model's columns are found.
        let report = try Serializer<StatefulReport>().validated([
            "title": .string("t"), "state": .string("running"), "tags": .array([.string("x")]),
        ])
        #expect(report.title == "t" && report.state == .waiting && report.tags.isEmpty)
        // A type that refuses every stand-in is named, so the error says where a default is needed.
        let errors = try #require(throws: ValidationErrors.self) {
            try Serializer<VersionedReport>().validated(["title": .string("t")])
        }
        #expect(errors.fields == ["version"])
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func aDecodingErrorNamesTheColumnAndKindButNotTheValue(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let row = try database.withConnection { connection in
                try connection.query("SELECT 'alice@example.com' AS email")[0]
            }
            let error = try #require(throws: DatabaseError.self) { try row.decode(Int.self, "email") }
            #expect(error.description.contains("email") && error.description.contains("text"))
            #expect(!error.description.contains("alice"))
        }
    }
}
