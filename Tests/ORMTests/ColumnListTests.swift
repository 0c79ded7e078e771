import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

/// A column another release added, which the models of this file do not know.
private func addColumns(_ connection: Connection) throws {
    let integer = "BIGINT"
    try connection.executeScript(
        """
        ALTER TABLE core_remote ADD COLUMN added_text TEXT DEFAULT 'added';
        ALTER TABLE file_fileremote ADD COLUMN added_number \(integer) DEFAULT 42;
        ALTER TABLE mirror_mirrorfileremote ADD COLUMN added_flag BOOLEAN DEFAULT TRUE;
        CREATE INDEX core_remote_added ON core_remote (added_text);
        """)
}

@Suite("Statements name the columns their model knows")
struct ColumnListTests {
    @Test func columnListsComeFromTheMacroOrFromDecodable() throws {
        let remote = ["pulp_id", "pulp_type", "name", "url", "policy", "download_concurrency", "headers", "created"]
        #expect(try Remote.tableColumns == [remote])
        #expect(try MirrorFileRemote.tableColumns == [remote, ["manifest"], ["priority"]])
        // Plain Codable models: the keys their Decodable conformance reads, found once.
        #expect(try Repository.tableColumns == [["pulp_id", "pulp_type", "name"]])
        #expect(try FileRepository.tableColumns == [["pulp_id", "pulp_type", "name"], ["autopublish"]])
        #expect(try PlainReport.tableColumns == [["id", "state", "tags", "note", "when"]])
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func noStatementSelectsStarAndReturningNamesItsColumn(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try database.withConnection(createReferenceTables)
            let registry = try referenceRegistry()
            var mirror = MirrorFileRemote(parent: makeFileRemote("m"), priority: 1)
            try mirror.create(on: database)
            var report = ProgressReport(code: "c", done: 0, total: 1)
            try report.create(on: database)
            #expect(report.id != nil)
            _ = try Remote.query(on: database).all()
            _ = try MirrorFileRemote.find(mirror.pulpID, on: database)
            _ = try Remote.cast(try Remote.query(on: database).all(), on: database, registry: registry)
            _ = try FileRepository.query(on: database).all()
            let reads = log.statements(startingWith: "SELECT")
            #expect(reads.count >= 5)
            #expect(!log.statements.contains { $0.contains("SELECT *") || $0.contains(".*") })
            #expect(log.statements.contains { $0.hasSuffix(#"RETURNING "id""#) })
            let joined = try #require(reads.first { $0.contains("mirror_mirrorfileremote") })
            #expect(joined.contains(#""core_remote"."name" AS "name""#))
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func addedColumnsChangeNothingForWarmConnectionsInsideATransaction(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind, maximumConnections: 2) { database in
            try database.withConnection(createReferenceTables)
            let registry = try referenceRegistry()
            var mirror = MirrorFileRemote(parent: makeFileRemote("deep", manifest: "M"), priority: 9)
            mirror.downloadConcurrency = 4
            try mirror.create(on: database)
            var repository = FileRepository(parent: Repository(name: "repo"), autopublish: true)
            try repository.create(on: database)
            try database.withConnection { connection in
                // Warm the connection's statements, then change the tables under it.
                #expect(try MirrorFileRemote.find(mirror.pulpID, on: connection) == mirror)
                #expect(try FileRepository.find(repository.pulpID, on: connection) == repository)
                let masters = try Remote.query(on: connection).all()
                if kind == .sqliteMemory {
                    try addColumns(connection)
                } else {
                    try database.withConnection(addColumns)
                }
                try connection.transaction {
                    var read = try #require(try MirrorFileRemote.find(mirror.pulpID, on: connection))
                    #expect(read == mirror)
                    #expect(try FileRepository.find(repository.pulpID, on: connection) == repository)
                    #expect(try Remote.query(on: connection).all() == masters)
                    let cast = try Remote.cast(masters, on: connection, registry: registry)
                    #expect(cast.first as? MirrorFileRemote == mirror)
                    read.priority += 1
                    read.manifest = "M2"
                    try read.update(on: connection)
                    #expect(try MirrorFileRemote.find(mirror.pulpID, on: connection) == read)
                }
            }
            let stored = try database.withConnection { connection in
                try connection.query(
                    "SELECT added_text, added_number, added_flag FROM core_remote JOIN file_fileremote USING (pulp_id) "
                        + "JOIN mirror_mirrorfileremote USING (pulp_id)")
            }
            #expect(try stored[0].decode(String.self, "added_text") == "added")
            #expect(try stored[0].decode(Int.self, "added_number") == 42)
        }
    }
}

/// A plain `Codable` model with an enum, a structured value and an optional: its columns are
/// found through its `Decodable` conformance.
struct PlainReport: Model, Equatable {
    enum State: String, Codable, Sendable { case waiting, running }
    static let tableName = "plain_report"
    static let primaryKey = "id"
    var id: UUID
    var state: State
    var tags: [String]
    var note: String?
    var when: Date
}
