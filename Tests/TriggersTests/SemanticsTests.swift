import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

/// One cell of the dual-write semantics: a table, rows written before the triggers exist, one
/// statement written with them, and the pairs expected afterwards.
struct SemanticsCell: Sendable, CustomStringConvertible {
    let description: String
    var oldDefault: Int? = nil
    var newDefault: Int? = nil
    var before: [String] = []
    let statement: String
    let expected: [Pair]
}

extension SemanticsCell {
    /// A synced row (1, 1) to update.
    static let synced = "INSERT INTO item (old_value, new_value) VALUES (1, 1)"
    /// A row from before the expand step, the new column not yet backfilled.
    static let unfilled = "INSERT INTO item (old_value) VALUES (3)"

    static let all: [SemanticsCell] = [
        .init(
            description: "insert old only", statement: "INSERT INTO item (old_value) VALUES (5)",
            expected: [.ints(5, 5)]),
        .init(
            description: "insert new only", statement: "INSERT INTO item (new_value) VALUES (6)",
            expected: [.ints(6, 6)]),
        .init(
            description: "insert both keeps both", statement: "INSERT INTO item (old_value, new_value) VALUES (5, 6)",
            expected: [.ints(5, 6)]),
        .init(
            description: "insert neither", statement: "INSERT INTO item (note) VALUES ('x')",
            expected: [.ints(nil, nil)]),
        .init(
            description: "insert NULL old", statement: "INSERT INTO item (old_value) VALUES (NULL)",
            expected: [.ints(nil, nil)]),
        .init(
            description: "insert new only, old has a default", oldDefault: 7,
            statement: "INSERT INTO item (new_value) VALUES (6)",
            expected: [.ints(6, 6)]),
        .init(
            description: "insert neither, old has a default", oldDefault: 7,
            statement: "INSERT INTO item (note) VALUES ('x')",
            expected: [.ints(7, 7)]),
        .init(
            description: "insert old only, both have defaults", oldDefault: 7, newDefault: 7,
            statement: "INSERT INTO item (old_value) VALUES (5)", expected: [.ints(5, 5)]),
        .init(
            description: "insert new only, both have defaults", oldDefault: 7, newDefault: 7,
            statement: "INSERT INTO item (new_value) VALUES (6)", expected: [.ints(6, 6)]),
        .init(
            description: "insert NULL old over a default", oldDefault: 7,
            statement: "INSERT INTO item (old_value) VALUES (NULL)",
            expected: [.ints(nil, nil)]),
        .init(
            description: "insert NULL new over old's default: new counts as not written", oldDefault: 7,
            statement: "INSERT INTO item (new_value) VALUES (NULL)", expected: [.ints(7, 7)]),
        .init(
            description: "insert the default into old and a value into new: old counts as not written", oldDefault: 7,
            statement: "INSERT INTO item (old_value, new_value) VALUES (7, 6)", expected: [.ints(6, 6)]),
        .init(
            description: "update old only", before: [synced], statement: "UPDATE item SET old_value = 5",
            expected: [.ints(5, 5)]),
        .init(
            description: "update new only", before: [synced], statement: "UPDATE item SET new_value = 6",
            expected: [.ints(6, 6)]),
        .init(
            description: "update both keeps both", before: [synced],
            statement: "UPDATE item SET old_value = 5, new_value = 6",
            expected: [.ints(5, 6)]),
        .init(
            description: "update old to NULL", before: [synced], statement: "UPDATE item SET old_value = NULL",
            expected: [.ints(nil, nil)]),
        .init(
            description: "update new to NULL", before: [synced], statement: "UPDATE item SET new_value = NULL",
            expected: [.ints(nil, nil)]),
        .init(
            description: "update old from NULL", before: ["INSERT INTO item (note) VALUES ('x')"],
            statement: "UPDATE item SET old_value = 4",
            expected: [.ints(4, 4)]),
        .init(
            description: "update neither column leaves an unfilled row alone", before: [unfilled],
            statement: "UPDATE item SET note = 'x'", expected: [.ints(3, nil)]),
        .init(
            description: "no-op update of old fills an unfilled row (backfill)", before: [unfilled, unfilled],
            statement: "UPDATE item SET old_value = old_value", expected: [.ints(3, 3), .ints(3, 3)]),
        .init(
            description: "writing old's unchanged value with a new value copies new", before: [synced],
            statement: "UPDATE item SET old_value = 1, new_value = 6", expected: [.ints(6, 6)]),
    ]
}

@Suite("Dual-write triggers: every INSERT and UPDATE cell")
struct SemanticsTests {
    @Test(arguments: TestDatabaseKind.allCases, SemanticsCell.all)
    func cell(_ kind: TestDatabaseKind, _ cell: SemanticsCell) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(
                    syncTable(
                        old: Column(
                            "old_value", .integer, default: cell.oldDefault.map { .literal(.integer(Int64($0))) }),
                        new: Column(
                            "new_value", .integer, default: cell.newDefault.map { .literal(.integer(Int64($0))) })))
                for statement in cell.before {
                    try connection.execute(statement)
                }
                let sync = ColumnSync(table: "item", old: "old_value", new: "new_value")
                let installed = try connection.installColumnSync(sync)
                #expect(installed.oldDefault == cell.oldDefault.map { .literal(.integer(Int64($0))) })
                let changed = try connection.execute(cell.statement)
                #expect(changed == cell.expected.count, "the statement reports only its own rows")
                #expect(try connection.pairs(sync) == cell.expected)
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func typeChangeThroughExpressions(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable(new: Column("new_value", .text)))
                let sync = ColumnSync(
                    table: "item", old: "old_value", new: "new_value", up: "CAST(old_value AS TEXT) -- to text",
                    down: "CAST(new_value AS INTEGER)")
                try connection.installColumnSync(sync)
                try connection.execute("INSERT INTO item (old_value) VALUES (5)")
                try connection.execute("INSERT INTO item (new_value) VALUES ('42')")
                try connection.execute("INSERT INTO item (note) VALUES ('none')")
                #expect(
                    try connection.pairs(sync) == [
                        Pair(.integer(5), .text("5")), Pair(.integer(42), .text("42")), Pair(.null, .null),
                    ])
                try connection.execute("UPDATE item SET new_value = '7' WHERE id = 1")
                try connection.execute("UPDATE item SET old_value = 8 WHERE id = 2")
                try connection.execute("UPDATE item SET new_value = '9' WHERE id = 3")
                #expect(
                    try connection.pairs(sync) == [
                        Pair(.integer(7), .text("7")), Pair(.integer(8), .text("8")), Pair(.integer(9), .text("9")),
                    ])
                try connection.execute("UPDATE item SET old_value = NULL WHERE id = 1")
                try connection.execute("UPDATE item SET new_value = NULL WHERE id = 2")
                #expect(try connection.pairs(sync).prefix(2) == [Pair(.null, .null), Pair(.null, .null)])
            }
        }
    }

    /// With a lossy mapping (integer division), a write that already corresponds to the other
    /// column leaves that column alone, so the value written is kept.
    @Test(arguments: TestDatabaseKind.allCases)
    func lossyMappingKeepsWhatWasWritten(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                let sync = ColumnSync(
                    table: "item", old: "old_value", new: "new_value", up: "old_value * 10", down: "new_value / 10")
                try connection.installColumnSync(sync)
                try connection.execute("INSERT INTO item (new_value) VALUES (15)")
                try connection.execute("INSERT INTO item (old_value) VALUES (2)")
                #expect(try connection.pairs(sync) == [.ints(1, 15), .ints(2, 20)])
                try connection.execute("UPDATE item SET new_value = 37 WHERE id = 2")
                try connection.execute("UPDATE item SET old_value = 4 WHERE id = 1")
                #expect(try connection.pairs(sync) == [.ints(4, 40), .ints(3, 37)])
            }
        }
    }
}
