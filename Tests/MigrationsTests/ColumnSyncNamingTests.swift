import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@testable import TandemMigrations

/// Issue 15, item 1: the objects of two column syncs never share a name, and installing never
/// replaces an object Tandem did not install for the same pair.
@Suite("Column sync names cannot collide")
struct ColumnSyncNamingTests {
    @Test func pairsWhoseNamesJoinToTheSameTextGetDistinctNamesWithinTheLimit() {
        let first = ColumnSync(table: "core_repo", old: "version_label", new: "name").names
        let second = ColumnSync(table: "core_repo_version", old: "label", new: "name").names
        #expect(first.function != second.function)
        #expect(Set(first.triggers(for: .sqlite)).isDisjoint(with: second.triggers(for: .sqlite)))
        #expect(first.relaxedCheck != second.relaxedCheck)
        let long = ColumnSync(
            table: String(repeating: "t", count: 63), old: String(repeating: "o", count: 63), new: "n"
        ).names
        for name in [long.function, long.insertTrigger, long.updateTrigger, long.relaxedCheck] {
            #expect(name.utf8.count <= ConstraintName.maximumLength, "\(name)")
            #expect(name.hasPrefix(ColumnSyncNames.prefix))
        }
        // Deterministic: the same pair always gets the same names.
        #expect(ColumnSync(table: "core_repo", old: "version_label", new: "name").names == first)
    }

    @Test(arguments: TestDatabaseKind.engines)
    func renamesOnTwoTablesWhoseNamesJoinAlikeBothKeepSyncing(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": compatibleFile(
                """
                  - create_table: {name: core_repo, columns: [{name: id, type: bigint, null: false}, {name: version_label, type: text}], primary_key: [id]}
                  - create_table: {name: core_repo_version, columns: [{name: id, type: bigint, null: false}, {name: label, type: text}], primary_key: [id]}

                """),
            "app/0002_rename.yaml": compatibleFile(
                """
                  - rename_column: {table: core_repo, from: version_label, to: name}
                  - rename_column: {table: core_repo_version, from: label, to: name}

                """, release: "2.0.0"),
        ])
        defer { scratch.remove() }
        try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate()
        try test.database.withConnection { connection in
            #expect(try connection.installedColumnSyncs().filter { $0.problems.isEmpty }.count == 2)
            try connection.execute("INSERT INTO core_repo (id, version_label) VALUES (1, 'a')")
            try connection.execute("INSERT INTO core_repo_version (id, label) VALUES (1, 'b')")
            try connection.execute("UPDATE core_repo SET version_label = 'a2' WHERE id = 1")
            #expect(try connection.query("SELECT name FROM core_repo")[0].decode(String.self, at: 0) == "a2")
            #expect(try connection.query("SELECT name FROM core_repo_version")[0].decode(String.self, at: 0) == "b")
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func anObjectOfTheSameNameThatTandemDidNotInstallIsRefusedAndKept(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_tables.yaml": compatibleFile(
                """
                  - create_table: {name: item, columns: [{name: id, type: bigint, null: false}, {name: label, type: text}], primary_key: [id]}
                  - create_table: {name: audit, columns: [{name: id, type: bigint, null: false}], primary_key: [id]}

                """),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: item, from: label, to: title}\n", release: "2.0.0"),
        ])
        defer { scratch.remove() }
        try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate(
            MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        let names = ColumnSync(table: "item", old: "label", new: "title").names
        let owned: String
        try test.database.withConnection { connection in
            if kind == .postgres {
                try connection.execute(
                    "CREATE FUNCTION \(quoteIdentifier(names.function))() RETURNS integer LANGUAGE sql AS 'SELECT 1'")
            } else {
                try connection.execute(
                    "CREATE TRIGGER \(quoteIdentifier(names.insertTrigger)) AFTER INSERT ON audit BEGIN SELECT 1; END")
            }
        }
        owned = kind == .postgres ? names.function : names.insertTrigger
        let before = try DatabaseSnapshot(test.database)
        let error = thrownError {
            try Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings).migrate()
        }
        let message = "\(String(describing: error))"
        #expect(message.contains("\"\(owned)\""), "\(message)")
        #expect(message.contains("was not installed for column sync \"item\".\"label\" -> \"title\""), "\(message)")
        #expect(message.contains("0002_rename.yaml"), "\(message)")
        #expect(try DatabaseSnapshot(test.database) == before)
        try test.database.withConnection { connection in
            let kept =
                kind == .postgres
                ? try connection.query(
                    "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname = $1",
                    [.text(owned)])
                : try connection.query(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?1 AND tbl_name = 'audit'", [.text(owned)])
            #expect(try kept[0].decode(Int.self, at: 0) == 1)
        }
    }
}
