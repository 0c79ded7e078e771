import TandemDatabase
import TandemSchema
import TandemTesting
import TandemTriggers
import Testing

@Suite("Dual-write triggers do not recurse")
struct RecursionTests {
    static let sync = ColumnSync(
        table: "item", old: "old_value", new: "new_value", up: "old_value + 0", down: "new_value + 0")

    /// Counts the row writes an AFTER UPDATE trigger of the application sees.
    static func addWriteLog(_ connection: Connection) throws {
        try connection.execute("CREATE TABLE write_log (item_id BIGINT)")
        switch connection.dialect {
        case .postgres:
            try connection.executeScript(
                """
                CREATE FUNCTION log_write() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO write_log VALUES (NEW.id); RETURN NEW; END $$;
                CREATE TRIGGER log_write AFTER UPDATE ON item FOR EACH ROW EXECUTE FUNCTION log_write();
                """)
        case .sqlite:
            try connection.execute(
                "CREATE TRIGGER log_write AFTER UPDATE ON item BEGIN INSERT INTO write_log VALUES (NEW.id); END")
        }
    }

    /// Updates terminate, each statement reports its own rows, and old = new afterwards. On
    /// PostgreSQL the trigger changes the row before it is written, so each row is written
    /// once; on SQLite the trigger writes the row a second time (an AFTER trigger cannot change
    /// NEW), which the application's own update triggers see: twice, never more.
    @Test(arguments: TestDatabaseKind.allCases, [false, true])
    func updatesTerminate(_ kind: TestDatabaseKind, recursiveTriggers: Bool) async throws {
        try await withTestDatabase(kind) { database in
            try database.withConnection { connection in
                if connection.dialect == .sqlite {
                    #expect(try connection.scalar("PRAGMA recursive_triggers", as: Int.self) == 0, "SQLite's default")
                    try connection.execute("PRAGMA recursive_triggers = \(recursiveTriggers ? "ON" : "OFF")")
                }
                try connection.create(syncTable())
                try connection.installColumnSync(Self.sync)
                try connection.execute("INSERT INTO item (old_value) VALUES (1), (2), (3)")
                try Self.addWriteLog(connection)

                #expect(try connection.execute("UPDATE item SET old_value = old_value + 10") == 3)
                #expect(try connection.execute("UPDATE item SET new_value = new_value + 100") == 3)
                #expect(try connection.pairs(Self.sync) == [.ints(111, 111), .ints(112, 112), .ints(113, 113)])
                let writesPerRow = connection.dialect == .postgres ? 1 : 2
                #expect(try connection.scalar("SELECT count(*) FROM write_log", as: Int.self) == 2 * 3 * writesPerRow)
                #expect(try connection.scalar("SELECT count(DISTINCT item_id) FROM write_log", as: Int.self) == 3)
            }
        }
    }
}
