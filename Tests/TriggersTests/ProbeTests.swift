import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

/// Issue 12: installing a column sync runs its triggers once, so a mistake in `up` or `down`
/// fails the installation, even on an empty table, instead of the application's next write.
@Suite("Installing a column sync exercises its triggers")
struct ProbeTests {
    @Test(arguments: TestDatabaseKind.allCases)
    func aMisspeltColumnFailsTheInstallationOnAnEmptyTableAndInstallsNothing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                let broken = ColumnSync(
                    table: "item", old: "old_value", new: "new_value", up: "old_value * 2", down: "new_valu / 2")
                #expect(throws: DatabaseError.self) { try connection.installColumnSync(broken) }
                #expect(try connection.installedColumnSyncs().isEmpty)
                try connection.execute("INSERT INTO item (old_value) VALUES (4)")
                #expect(try connection.pairs(broken) == [.ints(4, nil)])
            }
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func installingTwiceInOneTransactionWorks(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                try connection.create(syncTable())
                let sync = ColumnSync(table: "item", old: "old_value", new: "new_value")
                try connection.transaction {
                    try connection.installColumnSync(sync)
                    try connection.installColumnSync(sync)
                }
                try connection.execute("INSERT INTO item (old_value) VALUES (4)")
                #expect(try connection.pairs(sync) == [.ints(4, 4)])
            }
        }
    }
}
