import TandemDatabase
import TandemSchema
import TandemTesting
import Testing

@testable import TandemMigrations

/// Issue 14, item 1: a rerun recognises the index or constraint an earlier, interrupted attempt
/// of the same step left under its deterministic name, instead of building a second one.
@Suite("Reruns take over what an interrupted attempt left")
struct KillAnywhereLeftoverTests {
    static let table = compatibleFile(
        """
          - create_table:
              name: big
              columns: [{name: id, type: bigint, null: false}, {name: a, type: integer}, {name: b, type: integer}]
              primary_key: [id]

        """)

    /// Runs `app/0001` (the table, with 50 rows), lets `prepare` leave what a killed attempt
    /// would, then migrates `app/0002` holding `operation` and returns the table afterwards.
    private func rerun(
        _ kind: TestDatabaseKind, _ operation: String, breaking: Bool = false, prepare: (Connection) throws -> Void
    ) throws -> (Table?, invalid: [UnfinishedObject], unvalidated: [UnfinishedObject], ledger: [String]) {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let scratch = try ScratchMigrations([
            "app/0001_table.yaml": Self.table,
            "app/0002_step.yaml": breaking
                ? "release: \"2.0.0\"\nphase: breaking\nrequires: {app: \"2.0.0\"}\noperations:\n  - \(operation)\n"
                : compatibleFile("  - " + operation + "\n", release: "2.0.0"),
        ])
        defer { scratch.remove() }
        let migrator = Migrator(database: test.database, migrations: try scratch.set(), settings: quickSettings)
        try migrator.migrate(MigrationRequest(target: MigrationTarget(parsing: "app/0001")))
        try test.database.withConnection { connection in
            try connection.execute(
                "INSERT INTO big (id, a, b) SELECT g, g % 7, g % 11 + 1 FROM \(kind == .postgres ? "generate_series(1, 50) AS g" : "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 50) SELECT g FROM s)")"
            )
            try prepare(connection)
        }
        try migrator.migrate(MigrationRequest(breaking: breaking))
        return try test.database.withConnection { connection in
            (
                try connection.introspectTable("big"), try connection.invalidIndexes(),
                try connection.unvalidatedConstraints(), try MigrationLedger.applied(on: connection).map(\.identifier)
            )
        }
    }

    // PostgreSQL only by nature: only a concurrent build leaves an INVALID index. The test marks
    // the index INVALID as a killed build leaves it (the test server's user is a superuser).
    @Test func anInvalidIndexOfAnInterruptedBuildIsDroppedAndBuiltAgain() throws {
        let (table, invalid, _, ledger) = try rerun(.postgres, "create_index: {table: big, columns: [a, b]}") {
            try $0.execute("CREATE INDEX big_a_b_idx ON big (a, b)")
            try $0.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'big_a_b_idx'::regclass")
        }
        #expect(table?.indexes.map(\.name) == ["big_a_b_idx"])
        #expect(table?.indexes.first?.columns == ["a", "b"])
        #expect(invalid.isEmpty)
        #expect(ledger == ["app/0001_table", "app/0002_step"])
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aValidIndexOfTheSameDefinitionIsAdopted(_ kind: TestDatabaseKind) throws {
        let (table, _, _, ledger) = try rerun(kind, "create_index: {table: big, columns: [a, b]}") {
            try $0.execute("CREATE INDEX big_a_b_idx ON big (a, b)")
        }
        #expect(table?.indexes.map(\.name) == ["big_a_b_idx"])
        #expect(ledger == ["app/0001_table", "app/0002_step"])
    }

    @Test(arguments: TestDatabaseKind.engines)
    func aGivenIndexNameHeldByAnotherDefinitionIsRefusedNamingIt(_ kind: TestDatabaseKind) throws {
        let error = thrownError {
            _ = try rerun(kind, "create_index: {table: big, columns: [a, b], name: big_ab}") {
                try $0.execute("CREATE INDEX big_ab ON big (b)")
            }
        }
        let message = try #require(error as? MigrationFileErrors, "\(String(describing: error))").errors.first?.message
        #expect(message?.contains("the index name big_ab is taken by index big_ab on big (b)") == true)
    }

    // PostgreSQL only by nature: SQLite has no NOT VALID constraints.
    @Test(arguments: [
        (
            "add_check: {table: big, expression: \"a >= 0\"}",
            "ALTER TABLE big ADD CONSTRAINT big_check CHECK (a >= 0) NOT VALID"
        ),
        (
            "add_foreign_key: {table: big, columns: [b], references: {table: big, columns: [id]}}",
            "ALTER TABLE big ADD CONSTRAINT big_b_fkey FOREIGN KEY (b) REFERENCES big (id) NOT VALID"
        ),
    ])
    func aNotValidConstraintOfAnInterruptedValidationIsValidated(_ operation: String, leftover: String) throws {
        let (table, _, unvalidated, ledger) = try rerun(.postgres, operation) { try $0.execute(leftover) }
        let names = (table?.checkConstraints.compactMap(\.name) ?? []) + (table?.foreignKeys.compactMap(\.name) ?? [])
        #expect(names.count == 1)
        #expect(names == [leftover.split(separator: " ")[5].description])
        #expect(unvalidated.isEmpty)
        #expect(ledger == ["app/0001_table", "app/0002_step"])
    }

    // PostgreSQL only by nature: only its set_not_null proves the column with a check first.
    @Test(arguments: [true, false])
    func setNotNullTakesOverItsProvingCheck(validated: Bool) throws {
        let (table, _, unvalidated, ledger) = try rerun(
            .postgres, "set_not_null: {table: big, column: a}", breaking: true
        ) {
            try $0.execute(
                "ALTER TABLE big ADD CONSTRAINT big_a_not_null CHECK (a IS NOT NULL)\(validated ? "" : " NOT VALID")")
        }
        #expect(table?.column(named: "a")?.isNullable == false)
        #expect(table?.checkConstraints.isEmpty == true)
        #expect(unvalidated.isEmpty)
        #expect(ledger == ["app/0001_table", "app/0002_step"])
    }

    // PostgreSQL only by nature: on SQLite set_not_null rebuilds the table and uses no check.
    @Test func setNotNullRefusesAProvingCheckNameHeldByAnotherExpression() throws {
        let error = thrownError {
            _ = try rerun(.postgres, "set_not_null: {table: big, column: a}", breaking: true) {
                try $0.execute("ALTER TABLE big ADD CONSTRAINT big_a_not_null CHECK (a >= 0)")
            }
        }
        let message = try #require(error as? MigrationFileErrors, "\(String(describing: error))").errors.first?.message
        #expect(message?.contains("the check big_a_not_null") == true)
    }
}
