import Testing

@testable import TandemDatabase

@Suite("Which statements' result columns follow a table's shape")
struct ResultShapeTests {
    @Test(arguments: [
        "SELECT * FROM item",
        "select distinct * from item",
        "SELECT ALL * FROM item",
        "SELECT i.* FROM item i",
        "SELECT \"i\".* FROM item i",
        "SELECT id, * FROM item",
        "SELECT DISTINCT ON (name) * FROM item",
        "UPDATE item SET name = $1 WHERE id = $2 RETURNING *",
        "INSERT INTO item (name) VALUES ('a') returning id, *",
        "SELECT /* a comment */ * FROM item",
        "SELECT -- why\n * FROM item",
        "WITH x AS (SELECT * FROM item) SELECT id FROM x",
        "TABLE item",
        "WITH k AS (SELECT 1) TABLE item",
        "(TABLE item) UNION ALL (TABLE item)",
        "SELECT id FROM item UNION TABLE item",
        "SELECT 'it''s' AS a, * FROM item",
    ])
    func followsTheTableShape(_ sql: String) {
        #expect(ResultShape.followsTableShape(sql))
    }

    @Test(arguments: [
        "SELECT id, name FROM item WHERE id = $1",
        "SELECT count(*) FROM item",
        "SELECT COUNT( * ) AS n FROM item",
        "SELECT price * 2 AS double FROM item",
        "SELECT $1 * 2",
        "UPDATE item SET done = done * 2 RETURNING id, done",
        "SELECT '*' AS star, 'SELECT *' AS text FROM item",
        "SELECT E'\\' SELECT *' AS text",
        "SELECT $$ SELECT * $$ AS text, $tag$ , * $tag$ AS more",
        "SELECT \"SELECT *\" FROM item",
        "SELECT id FROM item /* SELECT * /* nested */ , * */",
        "SELECT id FROM item -- SELECT *",
        "INSERT INTO item (name) VALUES ($1) RETURNING id",
        "SELECT 'TABLE item' AS text, \"table\" FROM item",
    ])
    func namesItsColumns(_ sql: String) {
        #expect(!ResultShape.followsTableShape(sql))
    }
}
