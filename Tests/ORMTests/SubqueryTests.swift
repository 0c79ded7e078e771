import Foundation
import TandemDatabase
import TandemORM
import TandemTesting
import Testing

@Suite("Subqueries written as SQL fragments")
struct SubqueryTests {
    /// Names that would break the statement, or change it, if they reached its text.
    static let names = ["it's", "a; DROP TABLE core_remote; --", "$1 ?1 :x", "\"quoted\"", "plain"]

    /// Five file remotes, download concurrency 1 to 5, named after ``names``.
    static func createRemotes(on database: Database) throws {
        try database.withConnection(createReferenceTables)
        for (index, name) in names.enumerated() {
            var remote = makeFileRemote(name)
            remote.downloadConcurrency = index + 1
            try remote.create(on: database)
        }
    }

    /// The keys of the remotes with these names, as a subquery.
    static func keys(named first: String, _ second: String) -> SQLFragment {
        """
        SELECT \(identifier: "pulp_id") FROM \(identifier: Remote.tableName) \
        WHERE \(identifier: "name") IN (\(first), \(second))
        """
    }

    @Test func renderingBindsValuesQuotesIdentifiersAndNumbersPlaceholdersFromOne() {
        let inner: SQLFragment = "SELECT id FROM t WHERE kind = \("it's")"
        let fragment: SQLFragment = """
            SELECT \(identifier: "we\"ird") FROM \(identifier: "a table") WHERE n = \(7) AND id IN (\(inner)) \
            AND at IS \(String?.none)
            """
        let postgres = fragment.rendered(for: .postgres)
        #expect(
            postgres.sql
                == #"SELECT "we""ird" FROM "a table" WHERE n = $1 AND id IN (SELECT id FROM t WHERE kind = $2) AND at IS $3"#
        )
        #expect(postgres.values == [.integer(7), .text("it's"), .null])
        let sqlite = fragment.rendered(for: .sqlite)
        #expect(sqlite.sql.hasSuffix("n = ?1 AND id IN (SELECT id FROM t WHERE kind = ?2) AND at IS ?3"))
        #expect(sqlite.values == postgres.values)
        let text: SQLFragment = "SELECT 1"
        #expect(text.rendered(for: .postgres).sql == "SELECT 1" && text.rendered(for: .postgres).values.isEmpty)
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func subqueryBetweenOtherFiltersBindsEveryValueInOrder(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try Self.createRemotes(on: database)
            log.reset()
            // Concurrency 1...5: the subquery keeps 2 and 3, the last filter leaves 2.
            let found = try FileRemote.query(on: database)
                .filter(
                    Column("download_concurrency") >= 2
                        && Column("pulp_id").in(Self.keys(named: "a; DROP TABLE core_remote; --", "$1 ?1 :x"))
                        && Column("download_concurrency") != 3
                )
                .order(Column("name"))
                .limit(10, offset: 0)
                .all()
            #expect(found.map(\.name) == ["a; DROP TABLE core_remote; --"])
            #expect(found.map(\.downloadConcurrency) == [2])

            let p = database.dialect.placeholder
            let statement = try #require(log.statements(startingWith: "SELECT").last)
            #expect(!statement.contains("DROP") && !statement.contains(":x"))
            #expect(statement.contains(#"FROM "core_remote" WHERE "name" IN (\#(p(2)), \#(p(3)))"#))
            #expect(statement.contains(">= \(p(1))") && statement.contains("<> \(p(4))"))
            #expect(statement.contains("LIMIT \(p(5))") && statement.contains("OFFSET \(p(6))"))
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func notInCountUpdateAndDeleteThroughASubquery(_ kind: TestDatabaseKind) async throws {
        let log = StatementLog()
        try await withTestDatabase(kind, logger: log.logger) { database in
            try Self.createRemotes(on: database)
            let two = Self.keys(named: "it's", "plain")
            #expect(try Remote.query(on: database).filter(Column("pulp_id").in(two)).count() == 2)
            #expect(try FileRemote.query(on: database).filter(Column("pulp_id").notIn(two)).count() == 3)
            let notTwo = try FileRemote.query(on: database).filter(Column("pulp_id").notIn(two)).order(Column("name"))
                .all()
            #expect(notTwo.map(\.name) == [Self.names[3], "$1 ?1 :x", "a; DROP TABLE core_remote; --"])

            // The assignment's value comes first, then the subquery's.
            log.reset()
            let updated = try Remote.query(on: database).filter(Column("pulp_id").in(two))
                .update(Column("policy").set(to: "streamed"))
            #expect(updated == 2)
            let p = database.dialect.placeholder
            let update = try #require(log.statements(startingWith: "UPDATE").first)
            #expect(update.contains(#""policy" = \#(p(1))"#) && update.contains("IN (\(p(2)), \(p(3)))"))
            #expect(try Remote.query(on: database).filter(Column("policy") == "streamed").count() == 2)
            // A detail type updates its own table by the keys its joined query selects.
            let manifests = try FileRemote.query(on: database).filter(Column("pulp_id").notIn(two))
                .update(Column("manifest").set(to: "M"))
            #expect(manifests == 3)
            #expect(try FileRemote.query(on: database).filter(Column("manifest") == "M").count() == 3)

            #expect(try FileRemote.query(on: database).filter(Column("pulp_id").in(two)).delete() == 2)
            #expect(try Remote.query(on: database).count() == 3)
        }
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func anEmptySubquerySelectsNothingAndExcludesNothing(_ kind: TestDatabaseKind) async throws {
        try await withTestDatabase(kind) { database in
            try Self.createRemotes(on: database)
            let none = Self.keys(named: "nobody", "nobody else")
            #expect(try FileRemote.query(on: database).filter(Column("pulp_id").in(none)).all().isEmpty)
            #expect(try FileRemote.query(on: database).filter(Column("pulp_id").in(none)).count() == 0)
            #expect(try FileRemote.query(on: database).filter(Column("pulp_id").notIn(none)).count() == 5)
            #expect(try Remote.query(on: database).filter(Column("pulp_id").in(none)).delete() == 0)
            #expect(try Remote.query(on: database).count() == 5)
        }
    }
}
