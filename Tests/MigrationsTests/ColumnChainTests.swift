import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 15, item 3: a rename or type change sharing a column with one not yet completed is
/// refused, by lint and by migrate, as the documentation says.
@Suite("Chained column changes are refused")
struct ColumnChainTests {
    static let tables = compatibleFile(
        "  - create_table: {name: tb, columns: [{name: id, type: bigint, null: false}, {name: a, type: text}], primary_key: [id]}\n"
    )

    @Test func lintRefusesAChainBeforeTheFirstChangeIsCompleted() throws {
        let files = [
            "app/0001_tables.yaml": Self.tables,
            "app/0002_ab.yaml": compatibleFile("  - rename_column: {table: tb, from: a, to: b}\n", release: "2.0.0"),
            "app/0003_bc.yaml": compatibleFile("  - rename_column: {table: tb, from: b, to: c}\n", release: "3.0.0"),
        ]
        let report = try TemporaryMigrations.with(files) { Lint.run(paths: [$0]) }
        #expect(
            report.errors.map { "\($0.path.split(separator: "/").last ?? ""):\($0.line ?? 0): \($0.message)" } == [
                "0003_bc.yaml:4: rename_column tb.b → c shares a column with rename_column tb.a → b, which is not completed "
                    + "before it: complete that change first (chained changes are refused)"
            ])
        // Completed in between, the second rename is fine.
        var completed = files
        completed["app/0003_bc.yaml"] = """
            release: "3.0.0"
            phase: breaking
            requires: {app: "2.0.0"}
            operations:
              - complete_rename: {table: tb, from: a, to: b}
            """
        completed["app/0004_bc.yaml"] = compatibleFile(
            "  - rename_column: {table: tb, from: b, to: c}\n", release: "4.0.0")
        #expect(try TemporaryMigrations.with(completed) { Lint.run(paths: [$0]) }.errors.isEmpty)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func migrateRefusesAChainAgainstTheInstalledSyncs(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": Self.tables,
            "app/0002_ab.yaml": compatibleFile("  - rename_column: {table: tb, from: a, to: b}\n", release: "2.0.0"),
        ])
        defer { scratch.remove() }
        try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate()
        let live = try test.database.withConnection { try $0.introspectLiveSchema() }
        let chained = ColumnChange(kind: .rename, table: "tb", old: "b", new: "c")
        let error = thrownError { _ = try Operation.expandColumn(chained).primitives(in: live) }
        #expect(
            (error as? OperationError)?.message
                == "rename_column: column sync \"tb\".\"a\" -> \"b\" is still installed by an earlier expand step; "
                + "complete that change before changing tb.b again (chained changes are refused)")
        // Resuming the installed pair itself is not a chain.
        let same = ColumnChange(kind: .rename, table: "tb", old: "a", new: "b")
        #expect(try Operation.expandColumn(same).primitives(in: live, resuming: true).map(\.name).last == "backfill")
    }
}
