import TandemDatabase
import TandemMigrations
import TandemSchema
import TandemTesting
import Testing

/// A backfill item of a malformed file, and the error it must give.
struct MalformedBackfill: Sendable, CustomStringConvertible {
    let yaml: String
    let line: Int
    let message: String

    var description: String { message }
}

@Suite("Backfill: the operation in migration files")
struct BackfillOperationTests {
    static let item = Table(
        "item", columns: [.identity("id"), Column("n", .integer), Column("done", .integer)], primaryKey: ["id"])
    static let live = LiveSchema(Schema(tables: [item, Table("log", columns: [Column("line", .text)])]))

    @Test("a backfill parses with its columns in order, condition and batch size, and is compatible")
    func parses() throws {
        let operations = try TemporaryMigrations.operations(
            """
              - backfill:
                  table: item
                  set: {n: "n + 1", done: 1}
                  where: done IS NULL
                  batch_size: 500
              - backfill: {table: item, set: {n: "coalesce(n, 0)"}}
            """)
        #expect(
            operations == [
                .backfill(
                    Backfill(
                        table: "item", set: [.init("n", "n + 1"), .init("done", "1")], where: "done IS NULL",
                        batchSize: 500)
                ),
                .backfill(Backfill(table: "item", set: [.init("n", "coalesce(n, 0)")])),
            ])
        #expect(operations.allSatisfy { $0.phase == .compatible && $0.name == "backfill" && $0.table == "item" })
        #expect(operations[0].summary == "backfill item (n, done)")
        #expect(operations[0].inverse(schema: Self.live.schema) == nil)
    }

    @Test("a backfill renders no statement for the transaction; its plan shows one batch", arguments: Dialect.allCases)
    func rendering(_ dialect: Dialect) throws {
        let backfill = Backfill(table: "item", set: [.init("n", "n + 1")], where: "done IS NULL")
        #expect(try Operation.backfill(backfill).statements(for: dialect, schema: Self.live).isEmpty)
        #expect(try Operation.backfill(backfill).applying(to: Self.live) == Self.live)
        let p = dialect.placeholder
        let batch = [
            #"SELECT "id" FROM "item" WHERE "id" > \#(p(1)) AND (done IS NULL) ORDER BY "id" LIMIT 1 OFFSET 999"#,
            #"UPDATE "item" SET "n" = n + 1 WHERE "id" > \#(p(1)) AND "id" <= \#(p(2)) AND (done IS NULL)"#,
        ]
        let timeouts =
            dialect == .postgres
            ? ["SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)"] : []
        #expect(
            try backfill.plannedStatements(for: dialect, schema: Self.live, settings: BackfillSettings()) == timeouts
                + batch)
    }

    @Test("a backfill of a missing table or column, or of a table without a key, does not fit the schema")
    func schemaErrors() {
        let cases: [(Backfill, String)] = [
            (Backfill(table: "nope", set: [.init("n", "1")]), "backfill: table nope does not exist"),
            (Backfill(table: "item", set: [.init("m", "1")]), "backfill: column item.m does not exist"),
            (
                Backfill(table: "log", set: [.init("line", "'x'")]),
                "backfill: table log has no primary key to walk in batches"
            ),
        ]
        for (backfill, message) in cases {
            #expect(throws: OperationError(message)) { try Operation.backfill(backfill).applying(to: Self.live) }
        }
    }

    static let malformed: [MalformedBackfill] = [
        .init(yaml: "  - backfill: {set: {n: \"1\"}}\n", line: 5, message: "missing key 'table' in backfill"),
        .init(yaml: "  - backfill: {table: item}\n", line: 5, message: "missing key 'set' in backfill"),
        .init(
            yaml: "  - backfill: {table: item, set: n + 1}\n", line: 5,
            message: "'set' in backfill must be a mapping of column: SQL expression, not the string 'n + 1'"),
        .init(
            yaml: "  - backfill: {table: item, set: {}}\n", line: 5,
            message: "'set' in backfill must name at least one column"),
        .init(
            yaml: "  - backfill:\n      table: item\n      set:\n        n: [1]\n", line: 8,
            message: "the value of n in 'set' in backfill must be a SQL expression (a string or a number), not a list"),
        .init(
            yaml: "  - backfill:\n      table: item\n      set: {n: \"1\"}\n      batch_size: 0\n", line: 8,
            message: "'batch_size' in backfill must be a positive whole number, not the number 0"),
        .init(
            yaml: "  - backfill: {table: item, set: {n: \"1\"}, batch_size: lots}\n", line: 5,
            message: "'batch_size' in backfill must be a positive whole number, not the string 'lots'"),
        .init(
            yaml: "  - backfill: {table: item, set: {n: \"1\"}, where: \"\"}\n", line: 5,
            message: "'where' in backfill must not be empty"),
        .init(
            yaml: "  - backfill: {table: item, set: {n: \"1\"}, batch: 5}\n", line: 5,
            message: "unknown key 'batch' in backfill (expected one of: table, set, where, batch_size)"),
    ]

    @Test("mistakes in a backfill are reported with file and line", arguments: malformed)
    func malformedFile(_ example: MalformedBackfill) throws {
        let file = "release: \"1.0.0\"\nphase: compatible\n# a backfill\noperations:\n" + example.yaml
        let errors = try TemporaryMigrations.with(["core/0001_test.yaml": file]) { folder -> [MigrationFileError] in
            do {
                _ = try MigrationLoader.load(directory: folder)
                return []
            } catch let error as MigrationFileErrors {
                return error.errors
            }
        }
        #expect(errors.count == 1)
        #expect(errors.first?.line == example.line)
        #expect(errors.first?.message == example.message)
        #expect(errors.first?.path.hasSuffix("core/0001_test.yaml") == true)
    }
}
