import Foundation
import TandemDatabase
import TandemMigrations
import TandemSchema
import TandemTesting
import Testing

@Suite("Operations against a live database")
struct OperationsDatabaseTests {
    @Test(
        "a SQLite rebuild keeps rows, indexes and triggers, and cascades nothing (SQLite only: PostgreSQL alters in place)",
        arguments: [TestDatabaseKind.sqliteMemory, .sqliteFile])
    func rebuildKeepsEverything(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, touched INT NOT NULL DEFAULT 0);
                    CREATE INDEX parent_name_idx ON parent (name);
                    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id) ON DELETE CASCADE);
                    CREATE TRIGGER parent_touch AFTER UPDATE OF name ON parent BEGIN UPDATE parent SET touched = touched + 1 WHERE id = NEW.id; END;
                    INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b');
                    INSERT INTO child (id, parent_id) VALUES (10, 1), (20, 2);
                    """)
                try connection.apply(.setNotNull(table: "parent", column: "name"))
                let parent = try #require(try connection.introspectTable("parent"))
                #expect(parent.column(named: "name")?.isNullable == false)
                #expect(parent.indexes.map(\.name) == ["parent_name_idx"])
                #expect(try connection.count("parent") == 2)
                #expect(try connection.count("child") == 2)
                try connection.execute("UPDATE parent SET name = 'c' WHERE id = 1")
                #expect(try connection.query("SELECT touched FROM parent WHERE id = 1")[0].decode(Int.self, at: 0) == 1)
                #expect(try connection.query("PRAGMA foreign_keys")[0].decode(Int.self, at: 0) == 1)
            }
        }
    }

    @Test(
        "a failed concurrent unique index build leaves no INVALID index behind (PostgreSQL only: SQLite rolls the build back)"
    )
    func failedConcurrentIndex() async throws {
        try await withTestDatabase(.postgres) { database in
            try database.withConnection { connection in
                try connection.executeScript(
                    "CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT); INSERT INTO item VALUES (1, 'a'), (2, 'a')")
                let error = thrownError {
                    try connection.apply(.createIndex(table: "item", Index(["name"], unique: true)))
                }
                #expect((error as? DatabaseError)?.isUniqueViolation == true)
                let left = try connection.query(
                    "SELECT count(*) FROM pg_indexes WHERE tablename = 'item' AND indexname = 'item_name_idx'")
                #expect(try left[0].decode(Int.self, at: 0) == 0)
            }
        }
    }

    @Test("a failed validation drops the NOT VALID constraint again (PostgreSQL only: SQLite's rebuild rolls back)")
    func failedValidation() async throws {
        try await withTestDatabase(.postgres) { database in
            try database.withConnection { connection in
                try connection.executeScript(
                    "CREATE TABLE item (id BIGINT PRIMARY KEY, size INTEGER); INSERT INTO item VALUES (1, -1)")
                let error = thrownError {
                    try connection.apply(
                        .addCheck(table: "item", CheckConstraint("size > 0", name: "item_size_positive")))
                }
                #expect((error as? DatabaseError)?.isCheckViolation == true)
                #expect(try connection.introspectTable("item")?.checkConstraints.isEmpty == true)
            }
        }
    }

    @Test(
        "the example core and file schema loads, applies, and its detail rows go with their masters",
        arguments: TestDatabaseKind.allCases)
    func exampleSchema(_ kind: TestDatabaseKind) async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        let set = try MigrationLoader.load(paths: [
            root.appendingPathComponent("Sources/App/Host/Core/Resources/migrations/core").standardized.path,
            root.appendingPathComponent("Sources/FilePlugin/Resources/migrations/file").standardized.path,
        ])
        #expect(
            set.migrations.map(\.id.description) == [
                "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                "core/0005_repository_versions",
                "file/0001_initial",
            ])
        #expect(Lint.check(set).isEmpty)
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                var expected = LiveSchema()
                for migration in set.migrations {
                    for located in migration.operations {
                        try connection.apply(located.operation)
                        expected = try located.operation.applying(to: expected)
                    }
                }
                let live = try connection.introspectSchema()
                #expect(live == expected.schema, "\(live.differences(from: expected.schema).map(\.description))")
                #expect(
                    Set(live.tables.map(\.name)) == [
                        "core_remote", "core_repository", "core_content", "core_contentguard", "core_distribution",
                        "core_task", "core_taskgroup", "core_progressreport", "core_temporaryfile",
                        "core_temporaryfilechunk",
                        "core_user", "core_usertoken", "core_repositoryversion", "core_repositorycontent",
                        "file_fileremote", "file_filerepository",
                        "file_filecontent",
                    ])
                let id = UUID()
                try connection.execute(
                    "INSERT INTO core_remote (pulp_id, pulp_type, name, url) VALUES (\(connection.dialect.placeholder(1)), 'file.file', 'r', 'https://example.com')",
                    [.uuid(id)])
                try connection.execute(
                    "INSERT INTO file_fileremote (pulp_id) VALUES (\(connection.dialect.placeholder(1)))", [.uuid(id)])
                try connection.execute("DELETE FROM core_remote")
                #expect(try connection.count("file_fileremote") == 0)
            }
        }
    }
}
