import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("--to restores what an expand step relaxed on a table Tandem did not create")
struct RollbackRawTableTests {
    @Test(arguments: TestDatabaseKind.engines)
    func undoingARenameOnARawTableKeepsTheOldColumnNotNull(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations([
            "app/0001_raw.yaml": compatibleFile(
                "  - sql: {up: \"CREATE TABLE app_post (id BIGINT PRIMARY KEY, body TEXT NOT NULL)\", down: \"DROP TABLE app_post\", phase: compatible}\n"
            ),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: app_post, from: body, to: content}\n", release: "1.1.0"),
        ])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try database.withConnection { connection in
                try connection.execute("INSERT INTO app_post (id, body) VALUES (1, 'hello'), (2, 'world')")
            }
            try migrator.migrate()
            #expect(try Self.body(database)?.isNullable == true, "the expand step relaxed body")

            let report = try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            #expect(report.undone.map(\.description) == ["app/0002_rename"])
            let body = try #require(try Self.body(database))
            #expect(!body.isNullable, "body is NOT NULL again")
            let table = try database.withConnection { try $0.introspectSchema() }.table(named: "app_post")
            #expect(table?.column(named: "content") == nil)
            #expect(table?.normalized.checkConstraints.isEmpty == true)
            let refused = thrownError {
                _ = try database.withConnection { connection in
                    try connection.execute("INSERT INTO app_post (id, body) VALUES (3, NULL)")
                }
            }
            #expect(refused is DatabaseError)
        }
    }

    /// The live `app_post.body` column.
    private static func body(_ database: Database) throws -> Column? {
        try database.withConnection { try $0.introspectSchema() }.table(named: "app_post")?.column(named: "body")
    }
}
