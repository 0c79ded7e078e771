import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("tandem db check connects, reports, and exits with DESIGN.md's codes")
struct DatabaseCheckTests {
    /// What `db check` should print for a database, read through the library in this process.
    static func expectedReport(url: String, database: Database) throws -> String {
        let version = try database.withConnection { $0.serverVersion() }
        return """
            database: \(try DatabaseURL(url))
            dialect: \(database.dialect)
            version: \(version)

            """
    }

    @Test(arguments: TestDatabaseKind.allCases)
    func checksTheDatabaseNamedByTheFlag(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let run = try TandemProcess.run(["db", "check", "--database", test.url])
        #expect(run.status == 0, "\(run)")
        #expect(run.output == (try Self.expectedReport(url: test.url, database: test.database)))
        #expect(run.errors == "")
        #expect(run.output.contains(kind == .postgres ? "dialect: PostgreSQL" : "dialect: SQLite"))
    }

    @Test func createsASQLiteFileNamedByTheFlag() throws {
        try withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("flag.sqlite3")
            let run = try TandemProcess.run(["db", "check", "--database", "sqlite://" + file.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.output.hasPrefix("database: sqlite://\(file.path)\ndialect: SQLite\nversion: 3."))
            #expect(FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test func usesTheEmbeddedDefaultInTheWorkingDirectory() throws {
        try withTemporaryDirectory { folder in
            let run = try TandemProcess.run(["db", "check"], in: folder)
            #expect(run.status == 0, "\(run)")
            let memory = try Database("sqlite::memory:")
            defer { memory.close() }
            #expect(run.output == (try Self.expectedReport(url: "sqlite:tandem.sqlite3", database: memory)))
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("tandem.sqlite3").path))
        }
    }

    @Test func usesTheEnvironmentVariableUnlessTheFlagIsGiven() throws {
        try withTemporaryDirectory { folder in
            let fromEnvironment = "sqlite://" + folder.appendingPathComponent("env.sqlite3").path
            let fromFlag = "sqlite://" + folder.appendingPathComponent("flag.sqlite3").path
            let environment = [DatabaseURL.environmentVariable: fromEnvironment]

            let run = try TandemProcess.run(["db", "check"], environment: environment, in: folder)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.hasPrefix("database: \(fromEnvironment)\n"))

            let flagged = try TandemProcess.run(["db", "check", "--database", fromFlag], environment: environment)
            #expect(flagged.status == 0, "\(flagged)")
            #expect(flagged.output.hasPrefix("database: \(fromFlag)\n"))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tandem.sqlite3").path))
        }
    }

    /// PostgreSQL through the environment, as operators configure it.
    @Test func checksPostgresNamedByTheEnvironment() throws {
        let test = try TestDatabase(.postgres)
        defer { test.drop() }
        let run = try TandemProcess.run(["db", "check"], environment: [DatabaseURL.environmentVariable: test.url])
        #expect(run.status == 0, "\(run)")
        #expect(run.output == (try Self.expectedReport(url: test.url, database: test.database)))
    }

    @Test(arguments: [
        "postgres://tandem:s3cret@127.0.0.1:1/tandem?connect_timeout=5",
        "postgres://tandem:s3cret@localhost/tandem?host=/nonexistent-tandem-socket-dir",
        "sqlite:///nonexistent-tandem-dir/app.sqlite3",
    ])
    func unreachableDatabaseExitsWithOne(url: String) throws {
        let run = try TandemProcess.run(["db", "check", "--database", url])
        #expect(run.status == 1, "\(run)")
        #expect(run.output == "")
        let shown = try DatabaseURL(url).description
        #expect(run.errors.hasPrefix("Error: cannot open the database \(shown): "), "\(run)")
        #expect(run.errors.contains(url.hasPrefix("sqlite") ? "unable to open database file" : "cannot connect"))
        #expect(!run.errors.contains("s3cret"))
    }

    @Test(arguments: [
        ("postgres://h:abc/db", "malformed PostgreSQL URL"),
        ("sqlite:", "no file path"),
        ("tandem.sqlite3", "not a URL"),
        ("postgres://h/db?colour=blue", "unknown connection parameter 'colour'"),
        ("mysql://root@localhost/app", "unsupported database 'mysql'"),
    ])
    func invalidURLExitsWithTwo(url: String, reason: String) throws {
        for (arguments, environment) in [
            (["db", "check", "--database", url], [:]),
            (["db", "check"], [DatabaseURL.environmentVariable: url]),
        ] {
            let run = try TandemProcess.run(arguments, environment: environment)
            #expect(run.status == 2, "\(run)")
            #expect(run.output == "")
            #expect(run.errors.hasPrefix("Error: invalid database URL '\(url)': \(reason)"), "\(run)")
        }
    }

    /// The variable may hold a secret; a typo in its port must not print the password.
    @Test func invalidURLHidesItsPassword() throws {
        let url = "postgres://tandem:s3cret@db:54x32/app"
        let run = try TandemProcess.run(["db", "check"], environment: [DatabaseURL.environmentVariable: url])
        #expect(run.status == 2, "\(run)")
        #expect(run.errors.hasPrefix("Error: invalid database URL 'postgres://tandem:***@db:54x32/app': "), "\(run)")
        #expect(!run.errors.contains("s3cret"))
    }
}
