import TandemMigrations
import Testing

@Suite("Lint")
struct LintTests {
    @Test("a compatible file holding a breaking operation is an error naming the operation, its line and why")
    func breakingInCompatible() throws {
        let file = """
            release: "1.1.0"
            phase: compatible
            operations:
              - add_column: {table: item, column: {name: color, type: text}}
              - drop_column: {table: item, column: size}
              - add_column: {table: item, column: {name: weight, type: integer, null: false}}

            """
        let report = try TemporaryMigrations.with(["core/0002_change.yaml": file]) { Lint.run(paths: [$0]) }
        let path = try #require(report.findings.first?.path)
        #expect(
            report.findings.map(\.description) == [
                "\(path):5: error: drop_column item.size is breaking in a compatible migration: earlier code still selects and inserts column item.size; move it to a breaking migration",
                "\(path):6: error: add_column item.weight is breaking in a compatible migration: earlier code inserting rows into item does not set weight, which is NOT NULL without a default: the insert would fail; move it to a breaking migration",
            ])
        #expect(report.hasErrors)
        #expect(path.hasSuffix("core/0002_change.yaml"))
    }

    @Test("risky steps are warnings, each on its operation's line")
    func warnings() throws {
        let file = """
            release: "1.1.0"
            phase: compatible
            operations:
              - drop_index: {table: item, name: item_size_idx}
              - sql: {up: "UPDATE item SET size = 0", phase: compatible}
              - add_check: {table: item, expression: "size >= 0"}
              - set_default: {table: item, column: size, default: null}
              - create_table: {name: log, columns: [{name: line, type: text}]}

            """
        let report = try TemporaryMigrations.with(["core/0002_risky.yaml": file]) { Lint.run(paths: [$0]) }
        #expect(!report.hasErrors)
        #expect(report.warnings.map(\.line) == [4, 5, 5, 6, 7, 8])
        #expect(
            report.warnings.map(\.message) == [
                "drop_index item_size_idx on item: earlier code stays correct, but its queries that used the index may get slow",
                "raw SQL declared compatible: Tandem cannot verify that earlier code keeps working with it",
                "raw SQL without 'down' cannot be undone: migrate --to stops at this migration",
                "add_check on item: validation scans every row, and earlier code may still write rows the new constraint rejects",
                "set_default item.size to null drops the default: earlier code that leaves size out of its inserts relies on it",
                "create_table log has no primary_key",
            ])
    }

    @Test("a breaking file of compatible operations gets a warning; a proper one passes clean")
    func breakingFiles() throws {
        let needless =
            "release: \"2.0.0\"\nphase: breaking\nrequires: {core: \"2.0.0\"}\noperations:\n  - drop_not_null: {table: t, column: c}\n"
        let proper =
            "release: \"2.0.0\"\nphase: breaking\nrequires: {core: \"2.0.0\"}\noperations:\n  - drop_column: {table: t, column: c}\n"
        let report = try TemporaryMigrations.with(["core/0001_a.yaml": needless, "core/0002_b.yaml": proper]) {
            Lint.run(directory: $0)
        }
        #expect(
            report.findings.map(\.message) == [
                "breaking migration holds only compatible operations: as a compatible one it could run before the rollout"
            ])
        #expect(report.findings.map(\.severity) == [.warning])
    }

    @Test("load(directory:) throws the errors for migrate and returns the warnings")
    func loadForMigrate() throws {
        let bad = "release: \"1.0.0\"\nphase: compatible\noperations:\n  - drop_table: {name: t}\n"
        let error = try TemporaryMigrations.with(["core/0001_a.yaml": bad]) { folder in
            try #require(throws: MigrationFileErrors.self) { try Lint.load(directory: folder) }
        }
        #expect(error.errors.map(\.line) == [4])
        let good = "release: \"1.0.0\"\nphase: compatible\noperations:\n  - drop_index: {table: t, name: i}\n"
        let loaded = try TemporaryMigrations.with(["core/0001_a.yaml": good]) { try Lint.load(directory: $0) }
        #expect(loaded.set.migrations.count == 1)
        #expect(loaded.warnings.count == 1)
    }
}
