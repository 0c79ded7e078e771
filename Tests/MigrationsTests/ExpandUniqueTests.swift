import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 15, item 5: the new column is unique from the expand step on, so new code's upserts
/// work between the steps, and the contract step adopts that index instead of building another.
@Suite("UNIQUE on the new column during the expand phase")
struct ExpandUniqueTests {
    @Test(arguments: TestDatabaseKind.engines)
    func newCodesUpsertWorksBetweenTheStepsAndCompletionAddsNoSecondIndex(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": compatibleFile(
                """
                  - create_table:
                      name: tag
                      columns: [{name: id, type: bigint, null: false}, {name: slug, type: text, null: false}]
                      primary_key: [id]
                      unique: [{columns: [slug]}]

                """),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: tag, from: slug, to: key_slug}\n", release: "2.0.0"),
            "app/0003_complete.yaml": """
            release: "3.0.0"
            phase: breaking
            requires: {app: "2.0.0"}
            operations:
              - complete_rename: {table: tag, from: slug, to: key_slug}
            """,
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try test.database.withConnection { connection in
            try connection.execute("INSERT INTO tag (id, slug) VALUES (1, 'a'), (2, 'b')")
        }
        try migrator.migrate()
        try test.database.withConnection { connection in
            // New code's upsert on its own column, on a taken and on a free value.
            try connection.execute("INSERT INTO tag (id, key_slug) VALUES (3, 'a') ON CONFLICT (key_slug) DO NOTHING")
            try connection.execute("INSERT INTO tag (id, key_slug) VALUES (4, 'd') ON CONFLICT (key_slug) DO NOTHING")
            // Old code's upsert still works too.
            try connection.execute("INSERT INTO tag (id, slug) VALUES (5, 'b') ON CONFLICT (slug) DO NOTHING")
            #expect(
                try connection.query("SELECT id FROM tag ORDER BY id").map { try $0.decode(Int.self, at: 0) } == [
                    1, 2, 4,
                ])
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO tag (id, key_slug) VALUES (6, 'd')")
            }
        }
        try migrator.migrate(MigrationRequest(breaking: true))
        try test.database.withConnection { connection in
            let tag = try #require(try connection.introspectTable("tag")?.normalized)
            let unique =
                tag.indexes.filter { $0.isUnique && $0.columns == ["key_slug"] }.count
                + tag.uniqueConstraints.filter { $0.columns == ["key_slug"] }.count
            #expect(unique == 1, "\(tag.indexes) \(tag.uniqueConstraints)")
            if kind == .postgres {
                // A unique constraint comes back as a constraint, with its name.
                #expect(tag.uniqueConstraints.map(\.name) == ["tag_slug_key"], "\(tag.uniqueConstraints)")
            }
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO tag (id, key_slug) VALUES (7, 'a')")
            }
        }
    }
}
