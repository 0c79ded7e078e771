import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@testable import TandemMigrations

/// Issue 12: an expand step checks what it installs before it commits, so a broken trigger
/// fails `migrate` (with the file and line, nothing applied) instead of the application's writes,
/// on an empty table as on one with rows.
@Suite("Expand steps never leave triggers that break writes")
struct ExpandProbeTests {
    /// A table with what makes a probe row hard to write: NOT NULL columns without defaults, a
    /// foreign key and a check constraint.
    static let tables = compatibleFile(
        """
          - create_table: {name: owner, columns: [{name: id, type: bigint, null: false}], primary_key: [id]}
          - create_table:
              name: tb
              columns:
                - {name: id, type: bigint, null: false}
                - {name: owner_id, type: bigint, null: false}
                - {name: x, type: integer, null: false}
                - {name: label, type: text, null: false}
              primary_key: [id]
              foreign_keys: [{columns: [owner_id], references: {table: owner, columns: [id]}}]
              checks: [{expression: "length(label) > 0"}]

        """)

    /// Row counts the table starts with: empty (nothing fires the triggers) and with rows.
    static let sizes = [0, 3]

    @Test(arguments: TestDatabaseKind.engines, sizes)
    func aMisspeltColumnInDownFailsMigrateWithFileAndLineAndLeavesNothing(_ kind: TestDatabaseKind, rows: Int) throws {
        try withTable(kind, rows: rows) { scratch, database in
            try scratch.write(
                "app/0002_typo.yaml",
                compatibleFile(
                    "  - change_type: {table: tb, column: x, type: bigint, up: \"x * 2\", down: \"x_new / 2 + xx\"}\n",
                    release: "2.0.0"))
            let before = try DatabaseSnapshot(database)
            let error = thrownError {
                try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            }
            let failure = try #require(error as? MigrationFailure, "\(String(describing: error))")
            #expect(failure.path.hasSuffix("app/0002_typo.yaml"))
            #expect(failure.line == 4)
            #expect("\(failure.underlying)".contains("xx"), "\(failure.underlying)")
            #expect(failure.leftApplied.isEmpty)
            #expect(try DatabaseSnapshot(database) == before)
            try database.withConnection { connection in
                #expect(try connection.installedColumnSyncs().isEmpty)
                try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (100, 1, 5, 'after')")
                try connection.execute("UPDATE tb SET x = 6 WHERE id = 100")
                #expect(try connection.query("SELECT x FROM tb WHERE id = 100")[0].decode(Int.self, at: 0) == 6)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines, sizes)
    func aResultOfTheWrongTypeFailsMigrate(_ kind: TestDatabaseKind, rows: Int) throws {
        try withTable(kind, rows: rows) { scratch, database in
            // PostgreSQL cannot assign a boolean to a bigint; SQLite stores anything, so an unknown
            // function, which it finds only when it compiles the trigger, fails there instead.
            let up = kind == .postgres ? "x > 0" : "nosuchfunction(x)"
            try scratch.write(
                "app/0002_type.yaml",
                compatibleFile(
                    "  - change_type: {table: tb, column: x, type: bigint, up: \"\(up)\", down: \"CAST(x_new AS INTEGER)\"}\n",
                    release: "2.0.0"))
            let before = try DatabaseSnapshot(database)
            let error = thrownError {
                try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            }
            let failure = try #require(error as? MigrationFailure, "\(String(describing: error))")
            #expect(failure.line == 4)
            #expect(try DatabaseSnapshot(database) == before)
            try database.withConnection { connection throws in #expect(try connection.installedColumnSyncs().isEmpty) }
        }
    }

    @Test(arguments: TestDatabaseKind.engines, sizes)
    func renameAndChangeTypeInstallTriggersThatWriteThroughAfterMigrate(_ kind: TestDatabaseKind, rows: Int) throws {
        try withTable(kind, rows: rows) { scratch, database in
            try scratch.write(
                "app/0002_expand.yaml",
                compatibleFile(
                    """
                      - rename_column: {table: tb, from: label, to: title}
                      - change_type: {table: tb, column: x, type: bigint, up: "x * 2", down: "x_new / 2"}

                    """, release: "2.0.0"))
            try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            try database.withConnection { connection in
                // Old code, then new code, inserts and updates.
                try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (100, 1, 5, 'old')")
                try connection.execute("INSERT INTO tb (id, owner_id, x_new, title) VALUES (101, 1, 14, 'new')")
                try connection.execute("UPDATE tb SET x = 8, label = 'old2' WHERE id = 101")
                try connection.execute("UPDATE tb SET x_new = 20, title = 'new2' WHERE id = 100")
                let rows = try connection.query("SELECT id, x, x_new, label, title FROM tb WHERE id >= 100 ORDER BY id")
                #expect(try rows.map { try $0.decode(Int.self, "x") } == [10, 8])
                #expect(try rows.map { try $0.decode(Int.self, "x_new") } == [20, 16])
                #expect(try rows.map { try $0.decode(String.self, "label") } == ["new2", "old2"])
                #expect(try rows.map { try $0.decode(String.self, "title") } == ["new2", "old2"])
                #expect(
                    try connection.query("SELECT count(*) FROM tb WHERE x_new IS NULL OR title IS NULL")[0].decode(
                        Int.self, at: 0) == 0)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines, sizes)
    func addCheckInstallsAConstraintThatWritesPassOrIsRefusedWithNothingLeft(_ kind: TestDatabaseKind, rows: Int) throws
    {
        try withTable(kind, rows: rows) { scratch, database in
            try scratch.write(
                "app/0002_bad_check.yaml",
                compatibleFile("  - add_check: {table: tb, expression: \"xq >= 0\"}\n", release: "2.0.0"))
            let before = try DatabaseSnapshot(database)
            let error = thrownError {
                try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            }
            #expect((error as? MigrationFailure)?.line == 4, "\(String(describing: error))")
            #expect(try DatabaseSnapshot(database) == before)

            try scratch.write(
                "app/0002_bad_check.yaml",
                compatibleFile("  - add_check: {table: tb, expression: \"x >= 0\"}\n", release: "2.0.0"))
            try Migrator(database: database, migrations: try scratch.set(), settings: quickSettings).migrate()
            try database.withConnection { connection in
                try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (100, 1, 5, 'ok')")
                try connection.execute("UPDATE tb SET x = 7 WHERE id = 100")
                #expect(throws: DatabaseError.self) {
                    try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (101, 1, -1, 'no')")
                }
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func expandStepsOnTwoTablesStayInFlightWhileOneCompletes(_ kind: TestDatabaseKind) throws {
        try withTable(kind, rows: 2) { scratch, database in
            try scratch.write(
                "app/0002_expand.yaml",
                compatibleFile(
                    """
                      - rename_column: {table: tb, from: label, to: title}
                      - change_type: {table: tb, column: x, type: bigint, up: "x * 2", down: "x_new / 2"}
                      - create_table: {name: note, columns: [{name: id, type: bigint, null: false}, {name: body, type: text}], primary_key: [id]}
                      - rename_column: {table: note, from: body, to: text_body}

                    """, release: "2.0.0"))
            try scratch.write(
                "app/0003_complete.yaml",
                """
                release: "3.0.0"
                phase: breaking
                requires: {app: "2.0.0"}
                operations:
                  - complete_rename: {table: note, from: body, to: text_body}
                """)
            let next = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try next.migrate()
            try database.withConnection { connection throws in #expect(try connection.installedColumnSyncs().count == 3)
            }
            try next.migrate(MigrationRequest(breaking: true))
            try database.withConnection { connection in
                #expect(try connection.installedColumnSyncs().map { $0.sync?.table } == ["tb", "tb"])
                try connection.execute("INSERT INTO note (id, text_body) VALUES (1, 'n')")
                try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (100, 1, 5, 'old')")
                try connection.execute("INSERT INTO tb (id, owner_id, x_new, title) VALUES (101, 1, 14, 'new')")
                let rows = try connection.query("SELECT x, x_new, label, title FROM tb WHERE id >= 100 ORDER BY id")
                #expect(try rows.map { try $0.decode(Int.self, "x_new") } == [10, 14])
                #expect(try rows.map { try $0.decode(Int.self, "x") } == [5, 7])
                #expect(try rows.map { try $0.decode(String.self, "title") } == ["old", "new"])
                #expect(try rows.map { try $0.decode(String.self, "label") } == ["old", "new"])
            }
        }
    }

    /// Runs `body` with a database holding `owner` (one row) and `tb` (`rows` rows), applied
    /// from `app/0001`.
    func withTable(_ kind: TestDatabaseKind, rows: Int, _ body: (ScratchMigrations, Database) throws -> Void) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations(["app/0001_tables.yaml": Self.tables])
        defer { scratch.remove() }
        try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate()
        try test.database.withConnection { connection in
            try connection.execute("INSERT INTO owner (id) VALUES (1)")
            for id in 0..<rows {
                try connection.execute("INSERT INTO tb (id, owner_id, x, label) VALUES (\(id), 1, \(id), 'row \(id)')")
            }
        }
        try body(scratch, test.database)
    }
}
