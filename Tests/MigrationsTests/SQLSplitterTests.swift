import Testing

@testable import TandemMigrations

@Suite("Raw SQL splits into statements at the right semicolons")
struct SQLSplitterTests {
    @Test func aSQLiteTriggerBodyIsOneStatement() {
        let sql = """
            CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET n = n + 1 WHERE id = NEW.id; INSERT INTO log VALUES (1); END;
            CREATE TEMP TRIGGER IF NOT EXISTS u AFTER INSERT ON t BEGIN SELECT 1; end;
            DROP TABLE x
            """
        #expect(
            SQLSplitter.statements(sql) == [
                "CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET n = n + 1 WHERE id = NEW.id; INSERT INTO log VALUES (1); END",
                "CREATE TEMP TRIGGER IF NOT EXISTS u AFTER INSERT ON t BEGIN SELECT 1; end",
                "DROP TABLE x",
            ])
    }

    @Test func aPostgresTriggerEndsAtItsSemicolon() {
        let sql = "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch(); DROP TABLE x"
        #expect(
            SQLSplitter.statements(sql) == [
                "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()", "DROP TABLE x",
            ])
    }

    @Test func semicolonsInQuotesAndDollarBodiesSplitNothing() {
        let sql = "SELECT ';'; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$; SELECT 2"
        #expect(
            SQLSplitter.statements(sql) == [
                "SELECT ';'", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", "SELECT 2",
            ])
    }
}
