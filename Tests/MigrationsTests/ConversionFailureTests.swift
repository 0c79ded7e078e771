import Foundation
import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

@Suite("A value the column change cannot convert is refused, naming the migration, on both databases")
struct ConversionFailureTests {
    static let raw = compatibleFile(
        "  - sql: {up: \"CREATE TABLE app_file (id BIGINT PRIMARY KEY, size TEXT, flag TEXT, ref TEXT)\", down: \"DROP TABLE app_file\", phase: compatible}\n"
    )
    static let types = compatibleFile(
        """
          - change_type: {table: app_file, column: size, to: size_num, type: integer, up: "CAST(size AS INTEGER)", down: "CAST(size_num AS TEXT)"}
          - change_type: {table: app_file, column: flag, to: flag_bool, type: boolean, up: "CAST(flag AS BOOLEAN)", down: "CASE WHEN flag_bool THEN '1' ELSE '0' END"}

        """, release: "1.1.0")

    @Test(arguments: TestDatabaseKind.engines)
    func earlierCodesUnconvertibleWritesAreRefusedWithTheMigrationNamed(_ kind: TestDatabaseKind) async throws {
        let scratch = try ScratchMigrations(["app/0001_raw.yaml": Self.raw, "app/0002_types.yaml": Self.types])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            try migrator.migrate()
            try Self.write(database, "INSERT INTO app_file (id, size, flag) VALUES (1, ' 42 ', '1')")
            let row = try database.withConnection { connection in
                try connection.query("SELECT size_num, flag_bool FROM app_file WHERE id = 1")[0]
            }
            #expect(try row.decode(Int.self, "size_num") == 42)
            #expect(try row.decode(Bool.self, "flag_bool") == true)

            var refused = [("size", "12 KB"), ("size", "large"), ("size", ""), ("size", "1.5x"), ("flag", "maybe")]
            // PostgreSQL reads 'yes' as true; SQLite's CAST would make it 0, so SQLite refuses it.
            if kind != .postgres { refused.append(("flag", "yes")) }
            for (column, value) in refused {
                let error = thrownError {
                    try Self.write(database, "INSERT INTO app_file (id, \(column)) VALUES (2, '\(value)')")
                }
                let message = try #require(error as? DatabaseError, "writing '\(value)' to \(column)").message
                #expect(message.contains("of migration app/0002_types"), "\(message)")
                #expect(message.contains("column change app_file.\(column) → "), "\(message)")
                #expect(message.contains("written to app_file.\(column) "), "\(message)")
                if !value.isEmpty { #expect(!message.contains(value), "the message echoes the value: \(message)") }
            }
            let error = thrownError { try Self.write(database, "UPDATE app_file SET size = '7 KB' WHERE id = 1") }
            #expect(
                (error as? DatabaseError)?.message.contains("app/0002_types") == true, "\(String(describing: error))")
            #expect(try Self.count(database) == 1, "nothing refused was stored")

            try Self.write(database, "UPDATE app_file SET size_num = 7 WHERE id = 1")
            let size = try database.withConnection { connection in
                try connection.query("SELECT size, size_num FROM app_file WHERE id = 1")[0]
            }
            #expect(try size.decode(String.self, "size") == "7", "new code's writes still reach the old column")
            #expect(try size.decode(Int.self, "size_num") == 7)
        }
    }

    /// SQLite's CAST gives `uuid` numeric affinity: the change is refused before anything runs,
    /// with file and line; PostgreSQL converts it and refuses only values that are no UUID.
    @Test(arguments: TestDatabaseKind.engines)
    func aCastSQLiteCannotConvertIsRefusedUpFrontThere(_ kind: TestDatabaseKind) async throws {
        let change = compatibleFile(
            "  - change_type: {table: app_file, column: ref, to: ref_id, type: uuid, up: \"CAST(ref AS UUID)\", down: \"CAST(ref_id AS TEXT)\"}\n",
            release: "1.1.0")
        let scratch = try ScratchMigrations(["app/0001_raw.yaml": Self.raw, "app/0002_ref.yaml": change])
        defer { scratch.remove() }
        try await withTestDatabase(kind) { database in
            let migrator = Migrator(database: database, migrations: try scratch.set(), settings: quickSettings)
            try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
            guard kind == .postgres else {
                let error = thrownError { try migrator.migrate() }
                let text = String(describing: try #require(error))
                #expect(text.contains("0002_ref.yaml:4"), "\(text)")
                #expect(text.contains("on SQLite, CAST(ref AS uuid) does not convert text"), "\(text)")
                #expect(
                    try database.withConnection { try $0.introspectTable("app_file") }?.column(named: "ref_id") == nil)
                return
            }
            try migrator.migrate()
            let uuid = "4f9d3c1e-8a2b-4c6d-9e0f-1a2b3c4d5e6f"
            try Self.write(database, "INSERT INTO app_file (id, ref) VALUES (1, '\(uuid)')")
            let error = thrownError { try Self.write(database, "INSERT INTO app_file (id, ref) VALUES (2, 'nope')") }
            #expect((error as? DatabaseError)?.message.contains("of migration app/0002_ref") == true)
            #expect(try Self.count(database) == 1)
        }
    }

    static func write(_ database: Database, _ sql: String) throws {
        try database.withConnection { connection in _ = try connection.execute(sql) }
    }

    static func count(_ database: Database) throws -> Int {
        try database.withConnection { try $0.query("SELECT count(*) AS n FROM app_file")[0].decode(Int.self, "n") }
    }
}
