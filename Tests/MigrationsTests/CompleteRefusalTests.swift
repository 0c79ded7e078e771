import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 15, item 4: a contract step never drops, with the old column, an object it cannot carry
/// over to the new one; it refuses, naming the object.
@Suite("complete_rename refuses what it cannot carry over")
struct CompleteRefusalTests {
    @Test(arguments: TestDatabaseKind.engines)
    func aUniqueExpressionIndexOnTheOldColumnIsNamedAndKept(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_settings.yaml": compatibleFile(
                """
                  - create_table: {name: settings, columns: [{name: id, type: bigint, null: false}, {name: email, type: text, null: false}], primary_key: [id]}
                  - sql: {up: "CREATE UNIQUE INDEX settings_email_lower ON settings (lower(email))", down: "DROP INDEX settings_email_lower", phase: compatible}

                """),
            "app/0002_rename.yaml": compatibleFile(
                "  - rename_column: {table: settings, from: email, to: address}\n", release: "2.0.0"),
            "app/0003_complete.yaml": """
            release: "3.0.0"
            phase: breaking
            requires: {app: "2.0.0"}
            operations:
              - complete_rename: {table: settings, from: email, to: address}
            """,
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate()
        try test.database.withConnection { connection in
            try connection.execute("INSERT INTO settings (id, email) VALUES (1, 'A@example.com')")
        }
        let before = try DatabaseSnapshot(test.database)
        let error = thrownError { try migrator.migrate(MigrationRequest(breaking: true)) }
        let errors = try #require(error as? MigrationFileErrors, "\(String(describing: error))").errors
        #expect(errors.map(\.line) == [5])
        let message = errors.first?.message ?? ""
        #expect(
            message.hasPrefix(
                "complete_rename: cannot carry over to address what depends on settings.email: index settings_email_lower ("
            ), "\(message)")
        #expect(message.contains("lower(email)"), "\(message)")
        #expect(try DatabaseSnapshot(test.database) == before)
        try test.database.withConnection { connection in
            #expect(throws: DatabaseError.self) {
                try connection.execute("INSERT INTO settings (id, address) VALUES (2, 'a@example.com')")
            }
        }
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aViewOnTheOldColumnIsNamed(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let live = try test.database.withConnection { connection in
            try connection.executeScript(
                """
                CREATE TABLE item (id bigint PRIMARY KEY, label text, title text);
                CREATE VIEW item_labels AS SELECT id, label FROM item;
                """)
            return try connection.introspectLiveSchema()
        }
        let change = ColumnChange(kind: .rename, table: "item", old: "label", new: "title")
        let error = thrownError { _ = try Operation.completeColumn(change).primitives(in: live) }
        #expect(
            (error as? OperationError)?.message
                == "complete_rename: cannot carry over to title what depends on item.label: view item_labels; create its "
                + "equivalent on title and drop it in an earlier migration, then complete the change")
    }

    @Test(arguments: TestDatabaseKind.engines)
    func anApplicationTriggerOnTheOldColumnIsNamed(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let live = try test.database.withConnection { connection in
            try connection.execute("CREATE TABLE item (id bigint PRIMARY KEY, label text, title text, touched integer)")
            if kind == .postgres {
                try connection.executeScript(
                    """
                    CREATE FUNCTION item_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := 1; RETURN NEW; END $$;
                    CREATE TRIGGER item_touch BEFORE UPDATE OF label ON item FOR EACH ROW EXECUTE FUNCTION item_touch();
                    """)
            } else {
                try connection.execute(
                    "CREATE TRIGGER item_touch AFTER UPDATE OF label ON item BEGIN UPDATE item SET touched = 1 WHERE id = NEW.id; END"
                )
            }
            return try connection.introspectLiveSchema()
        }
        let change = ColumnChange(kind: .rename, table: "item", old: "label", new: "title")
        let error = thrownError { _ = try Operation.completeColumn(change).primitives(in: live) }
        #expect(
            (error as? OperationError)?.message
                == "complete_rename: cannot carry over to title what depends on item.label: trigger item_touch; create its "
                + "equivalent on title and drop it in an earlier migration, then complete the change")
    }
}
