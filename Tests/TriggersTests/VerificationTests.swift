import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@Suite("Verifying installed column syncs reports drift")
struct VerificationTests {
    static let sync = ColumnSync(
        table: "item", old: "old_value", new: "new_value", up: "old_value + 1", down: "new_value - 1")

    static func setUp(_ connection: Connection) throws -> ColumnSync {
        try connection.create(syncTable())
        return try connection.installColumnSync(sync)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func intactSyncHasNoProblems(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                _ = try Self.setUp(connection)
                #expect(try connection.verifyColumnSync(Self.sync) == [])
                #expect(try connection.installedColumnSyncs().map(\.problems) == [[]])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func otherExpressionsAreReported(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                _ = try Self.setUp(connection)
                var expected = Self.sync
                expected.up = "old_value + 2"
                let problems = try connection.verifyColumnSync(expected)
                #expect(!problems.isEmpty)
                #expect(
                    problems.allSatisfy { $0.hasSuffix("installed with up `old_value + 1`, expected `old_value + 2`") },
                    "\(problems)")
            }
        }
    }

    /// A trigger changed by hand is found both by verify and by the listing.
    @Test(arguments: TestDatabaseKind.allCases)
    func handEditedTriggerIsReported(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                let installed = try Self.setUp(connection)
                let names = installed.names
                switch connection.dialect {
                case .postgres:
                    // Other tests' schemas hold functions of the same name: read this schema's.
                    let source = try connection.query(
                        "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname = $1",
                        [.text(names.function)])[0].decode(String.self, at: 0)
                    let edited = source.replacingOccurrences(of: "RETURN NEW;\nEND", with: "RETURN NULL;\nEND")
                    #expect(edited != source)
                    try connection.execute(
                        "CREATE OR REPLACE FUNCTION \(quoteIdentifier(names.function))() RETURNS trigger LANGUAGE plpgsql AS "
                            + SQLLiteral.quote(edited))
                    try connection.execute("ALTER TABLE item DISABLE TRIGGER \(quoteIdentifier(names.trigger))")
                case .sqlite:
                    let sql = try connection.query(
                        "SELECT sql FROM sqlite_master WHERE name = ?1", [.text(names.updateTrigger)])[0]
                        .decode(String.self, at: 0)
                    try connection.execute("DROP TRIGGER \(quoteIdentifier(names.updateTrigger))")
                    let edited = sql.replacingOccurrences(
                        of: "SET \"new_value\" =", with: "SET \"note\" = 'edited', \"new_value\" =")
                    #expect(edited != sql)
                    try connection.execute(edited)
                    try connection.execute("DROP TRIGGER \(quoteIdentifier(names.insertTrigger))")
                }
                let expected: [String] =
                    switch connection.dialect {
                    case .postgres:
                        [
                            "function \"\(names.function)\" differs from the code Tandem generates for it (changed by hand?)",
                            "trigger \"\(names.trigger)\" is disabled",
                        ]
                    case .sqlite:
                        [
                            "trigger \"\(names.insertTrigger)\" is missing",
                            "trigger \"\(names.updateTrigger)\" differs from the code Tandem generates for it (changed by hand?)",
                        ]
                    }
                #expect(try connection.verifyColumnSync(Self.sync) == expected)
                #expect(try connection.installedColumnSyncs().map(\.problems) == [expected])
                try connection.installColumnSync(Self.sync)
                #expect(try connection.verifyColumnSync(Self.sync) == [], "installing again repairs the drift")
            }
        }
    }

    /// The triggers compare with the default they were installed with, so a changed default
    /// is drift until the sync is installed again.
    @Test(arguments: TestDatabaseKind.allCases)
    func changedDefaultIsReported(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                _ = try Self.setUp(connection)
                switch connection.dialect {
                case .postgres:
                    try connection.execute(
                        DDL(.postgres).setDefault(.literal(.integer(7)), of: "old_value", in: "item"))
                case .sqlite:
                    let table = try #require(try connection.introspectTable("item"))
                    var changed = table
                    changed.columns[1].defaultValue = .literal(.integer(7))
                    try connection.rebuildTable(from: table, to: changed)
                }
                let problems = try connection.verifyColumnSync(Self.sync)
                #expect(!problems.isEmpty)
                #expect(
                    problems.allSatisfy {
                        $0.hasSuffix(
                            "installed when \"old_value\" had default no default; it now has `7`: install again")
                    }, "\(problems)")
                try connection.installColumnSync(Self.sync)
                #expect(try connection.verifyColumnSync(Self.sync) == [])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func missingTableAndColumnsAreReported(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                #expect(try connection.verifyColumnSync(Self.sync) == ["table \"item\" does not exist"])
                try connection.create(
                    Table("item", columns: [.identity("id"), Column("old_value", .integer)], primaryKey: ["id"]))
                #expect(
                    try connection.verifyColumnSync(Self.sync) == [
                        "column sync \"item\".\"old_value\" -> \"new_value\": table \"item\" has no new column \"new_value\""
                    ])
            }
        }
    }
}
