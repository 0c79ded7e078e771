import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// A raw `sql` `CREATE INDEX CONCURRENTLY` runs outside any transaction, so a run can die after
/// it and before recording it, or in it. PostgreSQL only by nature: SQLite has no concurrent
/// builds, so its raw statements all run in the migration's transaction.
@Suite("A raw concurrent index build interrupted anywhere is finished or taken as done by the next run")
struct RawIndexBuildResumeTests {
    static let files = [
        "app/0001_base.yaml": compatibleFile(
            "  - create_table: {name: app_tag, columns: [{name: id, type: bigint}, {name: code, type: text}], primary_key: [id]}\n"
        ),
        "app/0002_index.yaml": compatibleFile(
            """
              - add_column: {table: app_tag, column: {name: extra, type: text}}
              - sql: {up: "CREATE UNIQUE INDEX CONCURRENTLY \\"App_Tag_Code\\" ON public_or_not.app_tag (code)", down: "DROP INDEX \\"App_Tag_Code\\"", phase: compatible}

            """, release: "1.1.0"),
    ]

    @Test func theBuildStatementIsRecognised() {
        let build = IndexBuildCleanup(
            rawStatement: "create unique index concurrently if not exists Tag_Code on only \"Sch\".\"App Tag\" (code)")
        #expect(build?.index == "tag_code")
        #expect(build?.table == "App Tag")
        #expect(IndexBuildCleanup(rawStatement: "CREATE INDEX tag_code ON app_tag (code)") == nil)
        let cleanup = DDL.dropInvalidIndex("it's", on: "a\ntable")
        #expect(IndexBuildCleanup(cleanup: cleanup)?.table == "a\ntable")
    }

    /// The run died right after its build succeeded: the start is recorded with its cleanup and
    /// the index is VALID. The next run takes the build as done instead of failing "already exists".
    @Test func aBuildThatFinishedBeforeTheRunDiedIsTakenAsDone() async throws {
        let (test, scratch, migrator) = try Self.prepare()
        defer { test.drop(); scratch.remove() }
        try await test.database.withConnection { connection in
            try connection.execute("ALTER TABLE app_tag ADD COLUMN extra text")
            let migration = try #require(try scratch.set().migrations.last)
            try MigrationProgress.record(
                migration, .apply, operation: 0, summary: "add_column app_tag.extra", done: 1, total: 1, on: connection)
            try MigrationProgress.record(
                migration, .apply, operation: 1, summary: "sql (compatible)", done: 0, total: 1,
                cleanup: DDL.dropInvalidIndex("App_Tag_Code", on: "app_tag"), on: connection)
            try connection.execute("CREATE UNIQUE INDEX CONCURRENTLY \"App_Tag_Code\" ON app_tag (code)")
        }
        let report = try migrator.migrate()
        #expect(report.applied.map(\.description) == ["app/0002_index"])
        #expect(report.runs.first?.step.operations.map(\.isAlreadyApplied) == [true, true])
        #expect(try Self.validIndexes(test.database) == ["App_Tag_Code"])
        #expect(try migrator.status().partlyApplied.isEmpty)
    }

    /// The run died in its build, which left an INVALID index: the next run drops it and builds
    /// again.
    @Test func aBuildTheRunDiedInIsBuiltAgain() async throws {
        let (test, scratch, migrator) = try Self.prepare()
        defer { test.drop(); scratch.remove() }
        try await test.database.withConnection { connection in
            try connection.execute("ALTER TABLE app_tag ADD COLUMN extra text")
            let migration = try #require(try scratch.set().migrations.last)
            try MigrationProgress.record(
                migration, .apply, operation: 0, summary: "add_column app_tag.extra", done: 1, total: 1, on: connection)
            try MigrationProgress.record(
                migration, .apply, operation: 1, summary: "sql (compatible)", done: 0, total: 1,
                cleanup: DDL.dropInvalidIndex("App_Tag_Code", on: "app_tag"), on: connection)
            // What a build that dies leaves: an INVALID index (here one that met duplicates).
            try connection.execute("INSERT INTO app_tag (id, code) VALUES (1, 'a'), (2, 'a')")
            _ = try? connection.execute("CREATE UNIQUE INDEX CONCURRENTLY \"App_Tag_Code\" ON app_tag (code)")
            try connection.execute("DELETE FROM app_tag WHERE id = 2")
        }
        #expect(try Self.validIndexes(test.database).isEmpty)
        let report = try migrator.migrate()
        #expect(report.runs.first?.step.operations.map(\.isAlreadyApplied) == [true, false])
        #expect(try Self.validIndexes(test.database) == ["App_Tag_Code"])
    }

    /// An index of that name that the run did not start (an operator's) is not taken over: the
    /// build fails on the name, as it would without Tandem.
    @Test func anIndexTheRunDidNotBuildIsNotTakenOver() async throws {
        let (test, _, migrator) = try Self.prepare()
        defer { test.drop() }
        try await test.database.withConnection { connection in
            try connection.execute("CREATE INDEX \"App_Tag_Code\" ON app_tag (id)")
        }
        let error = thrownError { try migrator.migrate() }
        #expect("\(String(describing: error))".contains("already exists"))
        #expect(try migrator.status().partlyApplied.isEmpty, "nothing recorded as started")
    }

    static func prepare() throws -> (TestDatabase, ScratchMigrations, Migrator) {
        let test = try TestDatabase(.postgres)
        var files = Self.files
        files["app/0002_index.yaml"] = files["app/0002_index.yaml"]!.replacingOccurrences(
            of: "public_or_not.", with: "")
        let scratch = try ScratchMigrations(files)
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        return (test, scratch, migrator)
    }

    static func validIndexes(_ database: Database) throws -> [String] {
        try database.withConnection { connection in
            try connection.query(
                """
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND i.indisvalid AND NOT i.indisprimary ORDER BY 1
                """
            ).map { try $0.decode(String.self, at: 0) }
        }
    }
}
