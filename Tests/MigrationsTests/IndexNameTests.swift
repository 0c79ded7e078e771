import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 15, item 2: an index name is free schema-wide before a build starts, and a failed build
/// cleans up only what it created.
@Suite("Index names and failed index builds")
struct IndexNameTests {
    static let tables = compatibleFile(
        """
          - create_table:
              name: repo
              columns: [{name: id, type: bigint, null: false}, {name: version_number, type: integer}]
              primary_key: [id]
              indexes: [{columns: [version_number], unique: true}]
          - create_table: {name: repo_version, columns: [{name: id, type: bigint, null: false}, {name: number, type: integer}], primary_key: [id]}

        """)

    @Test(arguments: TestDatabaseKind.engines)
    func aDefaultNameAnotherTablesIndexHoldsIsRefusedNamingTheOwner(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": Self.tables,
            "app/0002_idx.yaml": compatibleFile(
                "  - create_index: {table: repo_version, columns: [number]}\n", release: "2.0.0"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let before = try DatabaseSnapshot(test.database)
        let error = thrownError { try migrator.migrate() }
        let errors = try #require(error as? MigrationFileErrors, "\(String(describing: error))").errors
        #expect(errors.map(\.line) == [4])
        #expect(
            errors.first?.message
                == "create_index on repo_version: the index name repo_version_number_idx is taken by unique index "
                + "repo_version_number_idx on repo (version_number); give the index another name (`name:`), or drop or "
                + "rename the other object first")
        #expect(try DatabaseSnapshot(test.database) == before)
        try test.database.withConnection { connection throws in
            try connection.execute("INSERT INTO repo (id, version_number) VALUES (1, 7)")
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO repo (id, version_number) VALUES (2, 7)")
            }
        }
        // Named explicitly, the index is built.
        try scratch.write(
            "app/0002_idx.yaml",
            compatibleFile(
                "  - create_index: {table: repo_version, columns: [number], name: repo_version_nr}\n", release: "2.0.0")
        )
        try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate()
        try test.database.withConnection { connection throws in
            #expect(try connection.introspectTable("repo_version")?.indexes.map(\.name) == ["repo_version_nr"])
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aFailedUniqueBuildLeavesNoIndexAndOtherIndexesAlone(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": Self.tables,
            "app/0002_idx.yaml": compatibleFile(
                "  - create_index: {table: repo_version, columns: [number], unique: true, name: repo_version_number_uq}\n",
                release: "2.0.0"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try test.database.withConnection { connection throws in
            try connection.execute("INSERT INTO repo_version (id, number) VALUES (1, 1), (2, 1)")
        }
        let before = try DatabaseSnapshot(test.database)
        let error = thrownError { try migrator.migrate() }
        #expect(error is MigrationFailure, "\(String(describing: error))")
        #expect(try DatabaseSnapshot(test.database) == before)
        try test.database.withConnection { connection throws in
            let indexes =
                kind == .postgres
                ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%number%'"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%number%'"
            #expect(try connection.query(indexes)[0].decode(Int.self, at: 0) == 1)
        }
    }

    /// PostgreSQL only by nature: `CREATE INDEX CONCURRENTLY` and its INVALID leftovers exist only there.
    @Test func theCleanupDropsOnlyAnInvalidIndexOfItsOwnTable() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        try test.database.withConnection { connection throws in
            try connection.executeScript(
                """
                CREATE TABLE repo (id bigint PRIMARY KEY, version_number integer);
                CREATE UNIQUE INDEX repo_version_number_idx ON repo (version_number);
                CREATE TABLE repo_version (id bigint PRIMARY KEY, number integer);
                INSERT INTO repo_version VALUES (1, 1), (2, 1);
                """)
            // The name is another table's valid index: the cleanup for repo_version leaves it.
            try connection.execute(DDL.dropInvalidIndex("repo_version_number_idx", on: "repo_version"))
            // A valid index of the table itself stays too.
            try connection.execute(DDL.dropInvalidIndex("repo_version_number_idx", on: "repo"))
            #expect(try count("repo_version_number_idx", on: connection) == 1)
            // A failed concurrent build leaves an INVALID index, which the cleanup drops.
            #expect(throws: DatabaseError.self) {
                try connection.execute("CREATE UNIQUE INDEX CONCURRENTLY repo_version_nr ON repo_version (number)")
            }
            #expect(try count("repo_version_nr", on: connection) == 1)
            try connection.execute(DDL.dropInvalidIndex("repo_version_nr", on: "repo_version"))
            #expect(try count("repo_version_nr", on: connection) == 0)
        }
    }

    private func count(_ index: String, on connection: Connection) throws -> Int {
        try connection.query(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1",
            [.text(index)])[0].decode(Int.self, at: 0)
    }
}
