import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 12 item 2 and issue 15 item 6: what `tandem lint` finds in a column change without a
/// database, and what `migrate` finds against the live schema before it runs anything.
@Suite("Column change expressions and names are checked before anything runs")
struct ColumnChangeCheckTests {
    @Test func lintRefusesAnUpOrDownThatDoesNotNameItsSourceColumn() throws {
        let file = compatibleFile(
            """
              - change_type: {table: tb, column: x, type: bigint, up: "x * 2", down: "xx / 2"}
              - change_type: {table: tb, column: y, to: y2, type: text, up: "'constant'", down: "CAST(y2 AS INTEGER)"}
              - change_type: {table: tb, column: z, type: text, up: "CAST(\\"z\\" AS TEXT)", down: "CAST(Z_NEW AS INTEGER)"}

            """)
        let report = try TemporaryMigrations.with(["app/0002_types.yaml": file]) { Lint.run(paths: [$0]) }
        #expect(
            report.errors.map { "\($0.line ?? 0): \($0.message)" } == [
                "4: change_type tb.x → x_new: 'down' does not name x_new, the column it computes x from",
                "5: change_type tb.y → y2: 'up' does not name y, the column it computes y2 from",
            ])
    }

    @Test func lintWarnsAboutACastNotEveryValueConvertsTo() throws {
        let file = compatibleFile(
            """
              - change_type: {table: files, column: size, type: integer, up: "CAST(size AS INTEGER)", down: "CAST(size_new AS TEXT)"}
              - change_type: {table: files, column: kind, type: integer, up: "CASE WHEN kind ~ '^[0-9]+$' THEN CAST(kind AS INTEGER) END", down: "kind_new::text"}
              - change_type: {table: files, column: note, type: text, up: "note::text", down: "note_new::uuid"}

            """)
        let report = try TemporaryMigrations.with(["app/0002_types.yaml": file]) { Lint.run(paths: [$0]) }
        #expect(report.errors.isEmpty, "\(report.errors)")
        let tail =
            "which not every value converts to: earlier code's writes of such a value fail (PostgreSQL and SQLite alike)"
        #expect(
            report.warnings.map { "\($0.line ?? 0): \($0.message)" } == [
                "4: change_type files.size → size_new: 'up' casts to integer, \(tail); write a total 'up' with CASE (see Writing migrations: column changes)",
                "6: change_type files.note → note_new: 'down' casts to uuid, \(tail); write a total 'down' with CASE (see Writing migrations: column changes)",
            ])
    }

    @Test func lintRefusesIdentifiersPostgreSQLWouldCut() throws {
        let long = String(repeating: "a", count: 64)
        let fits = String(repeating: "b", count: 63)
        let file = compatibleFile(
            """
              - rename_column: {table: tb, from: label, to: \(long)}
              - add_column: {table: tb, column: {name: \(fits), type: text}}
              - create_index: {table: tb, columns: [label], name: \(long)}

            """)
        let report = try TemporaryMigrations.with(["app/0002_long.yaml": file]) { Lint.run(paths: [$0]) }
        let message =
            "identifier '\(long)' is 64 bytes; PostgreSQL keeps only 63, so the name would not be the one written here"
        #expect(
            report.errors.map { "\($0.line ?? 0): \($0.message)" } == [
                "4: rename_column: \(message)", "6: create_index: \(message)",
            ])
    }

    @Test(arguments: TestDatabaseKind.engines)
    func migrateRefusesAnExpressionNamingAnotherColumnWithFileAndLine(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": compatibleFile(
                "  - create_table: {name: tb, columns: [{name: id, type: bigint, null: false}, {name: x, type: integer}, {name: y, type: integer}], primary_key: [id]}\n"
            ),
            "app/0002_type.yaml": compatibleFile(
                "  - change_type: {table: tb, column: x, type: bigint, up: \"x + y\", down: \"x_new\"}\n",
                release: "2.0.0"),
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
                == "change_type: 'up' names column tb.y; it may name only x, the column it computes x_new from")
        #expect(try DatabaseSnapshot(test.database) == before)
    }
}
