import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("Column changes: rename_column, change_type and their complete steps")
struct ColumnChangeTests {
    static let expand = """
        release: "2.0.0"
        phase: compatible
        operations:
          - rename_column: {table: item, from: label, to: title}
          - change_type: {table: item, column: size, to: size_text, type: text, up: "CAST(size AS TEXT)", down: "CAST(size_text AS BIGINT)"}
        """
    static let complete = """
        release: "3.0.0"
        phase: breaking
        requires: {core: "2.0.0"}
        operations:
          - complete_rename: {table: item, from: label, to: title}
          - complete_change_type: {table: item, column: size, to: size_text}
        """

    @Test func parsedAndClassified() throws {
        let report = try TemporaryMigrations.with([
            "core/0002_expand.yaml": Self.expand, "core/0003_complete.yaml": Self.complete,
        ]) {
            Lint.run(paths: [$0])
        }
        #expect(report.errors.isEmpty, "\(report.findings)")
        let operations = try #require(report.set).migrations.flatMap(\.operations).map(\.operation)
        #expect(operations.map(\.name) == ["rename_column", "change_type", "complete_rename", "complete_change_type"])
        #expect(operations.map(\.phase) == [.compatible, .compatible, .breaking, .breaking])
        guard case .expandColumn(let change) = operations[1] else {
            Issue.record("change_type parsed as \(operations[1])")
            return
        }
        #expect(change.new == "size_text")
        #expect(change.type == .text)
        #expect(change.up == "CAST(size AS TEXT)")
    }

    @Test func aCompleteStepWithoutItsExpandStepIsALintError() throws {
        let report = try TemporaryMigrations.with(["core/0003_complete.yaml": Self.complete]) { Lint.run(paths: [$0]) }
        let messages = report.errors.map(\.message)
        #expect(
            messages.contains(
                "complete_rename item.label → title has no rename_column of item.label to title in an earlier migration"
            ))
        #expect(
            messages.contains(
                "complete_change_type item.size → size_text has no change_type of item.size to size_text in an earlier migration"
            ))
    }

    @Test func aCompleteStepInACompatibleFileIsALintError() throws {
        let file = """
            release: "2.0.0"
            phase: compatible
            operations:
              - rename_column: {table: item, from: label, to: title}
              - complete_rename: {table: item, from: label, to: title}
            """
        let report = try TemporaryMigrations.with(["core/0002_both.yaml": file]) { Lint.run(paths: [$0]) }
        #expect(
            report.errors.map(\.message).contains {
                $0.hasPrefix("complete_rename item.label → title is breaking in a compatible migration")
            })
    }

    @Test func malformedChangeTypeNamesWhatIsMissing() throws {
        let file = """
            release: "2.0.0"
            phase: compatible
            operations:
              - change_type: {table: item, column: size, type: text}
            """
        let report = try TemporaryMigrations.with(["core/0002_bad.yaml": file]) { Lint.run(paths: [$0]) }
        #expect(report.hasErrors)
        #expect(report.errors.map(\.line) == [4, 4])
        #expect(
            Set(report.errors.map(\.message)) == [
                "missing key 'up' in change_type", "missing key 'down' in change_type",
            ])
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func expansionAgainstTheLiveSchema(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            let live = try database.withConnection { connection -> LiveSchema in
                try connection.executeScript(
                    "CREATE TABLE item (id BIGINT PRIMARY KEY, label TEXT NOT NULL, size BIGINT DEFAULT 0)")
                return try connection.introspectLiveSchema()
            }
            let rename = ColumnChange(kind: .rename, table: "item", old: "label", new: "title")
            let steps = try Operation.expandColumn(rename).primitives(in: live).map(\.name)
            #expect(steps == ["add_column", "drop_not_null", "add_check", "install_column_sync", "backfill"])
            // A column with a default needs no relaxing: inserts without it get the default.
            let sized = ColumnChange(
                kind: .changeType, table: "item", old: "size", new: "size_text", type: .text, up: "CAST(size AS TEXT)",
                down: "CAST(size_text AS BIGINT)")
            #expect(
                try Operation.expandColumn(sized).primitives(in: live).map(\.name) == [
                    "add_column", "install_column_sync", "backfill",
                ])
            // The contract step refuses when the expand step never ran.
            let error = thrownError { _ = try Operation.completeColumn(rename).primitives(in: live) }
            #expect(
                (error as? OperationError)?.message
                    == "complete_rename: column item.title does not exist: apply the expand step (rename_column) first")
            // The expand step refuses a column that does not exist.
            let missing = ColumnChange(kind: .rename, table: "item", old: "nope", new: "title")
            #expect(
                (thrownError { _ = try Operation.expandColumn(missing).primitives(in: live) } as? OperationError)?
                    .message
                    == "rename_column: column item.nope does not exist")
            // Undoing the expand step restores the old column alone: NOT NULL back while the
            // triggers still sync, then the triggers and the new column together.
            #expect(
                Operation.expandColumn(rename).inverse(schema: live.schema)?.map(\.name)
                    == ["set_not_null", "drop_constraint", "remove_column_sync", "drop_column"])
        }
    }
}

@Suite("complete_rename carries the old column's constraints over")
struct ColumnChangeCarryOverTests {
    @Test(arguments: TestDatabaseKind.engines)
    func notNullDefaultIndexesUniqueForeignKeyAndCheckMoveToTheNewColumn(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": compatibleFile(
                """
                  - create_table: {name: tag, columns: [{name: name, type: text, null: false}], primary_key: [name]}
                  - create_table:
                      name: item
                      columns:
                        - {name: id, type: bigint, null: false}
                        - {name: label, type: text, null: false, default: "x"}
                      primary_key: [id]
                      unique: [{columns: [label]}]
                      checks: [{expression: "length(label) < 100"}]
                      foreign_keys: [{columns: [label], references: {table: tag, columns: [name]}}]
                  - create_index: {table: item, columns: [label, id]}

                """),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: item, from: label, to: title}\n", release: "2.0.0"),
            "app/0003_complete.yaml": """
            release: "3.0.0"
            phase: breaking
            requires: {app: "2.0.0"}
            operations:
              - complete_rename: {table: item, from: label, to: title}
            """,
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try test.database.withConnection { connection in
            try connection.execute("INSERT INTO tag (name) VALUES ('x'), ('a'), ('b')")
            try connection.execute("INSERT INTO item (id, label) VALUES (1, 'a'), (2, 'b')")
        }
        try migrator.migrate()
        try migrator.migrate(MigrationRequest(breaking: true))
        try test.database.withConnection { connection in
            let item = try #require(try connection.introspectTable("item")?.normalized)
            #expect(item.column(named: "label") == nil)
            let title = try #require(item.column(named: "title"))
            #expect(!title.isNullable)
            #expect(title.defaultValue == .literal(.text("x")))
            #expect(item.foreignKeys.contains { $0.columns == ["title"] && $0.referencedTable == "tag" })
            #expect(item.checkConstraints.contains { $0.expression.sql.contains("title") })
            #expect(
                item.indexes.contains { $0.columns == ["title"] && $0.isUnique }
                    || item.uniqueConstraints.contains { $0.columns == ["title"] })
            #expect(item.indexes.contains { $0.columns == ["title", "id"] })
            // The carried constraints hold: a duplicate, an unknown tag and a too long value are refused.
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO item (id, title) VALUES (3, 'a')")
            }
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO item (id, title) VALUES (4, 'zzz')")
            }
            try connection.execute("INSERT INTO item (id) VALUES (5)")
            #expect(try connection.query("SELECT title FROM item WHERE id = 5")[0].decode(String.self, at: 0) == "x")
            #expect(try connection.installedColumnSyncs().isEmpty)
        }
    }
}
