import TandemDatabase
import Testing

@Suite("Database URLs parse every form of DESIGN.md and explain malformed ones")
struct DatabaseURLTests {
    struct Form: Sendable, CustomTestStringConvertible {
        let url: String
        let location: DatabaseURL.Location
        var testDescription: String { url }
    }

    static let forms: [Form] = [
        Form(
            url: "postgres://user:pass@host:5433/db",
            location: .postgres(parameters: [
                "user": "user", "password": "pass", "host": "host", "port": "5433", "dbname": "db",
            ])),
        Form(
            url: "postgresql://user:pass@host:5433/db",
            location: .postgres(parameters: [
                "user": "user", "password": "pass", "host": "host", "port": "5433", "dbname": "db",
            ])),
        Form(
            url: "postgres://postgres@localhost:55432/postgres?host=/tmp/tandem-pg",
            location: .postgres(parameters: [
                "user": "postgres", "host": "/tmp/tandem-pg", "port": "55432", "dbname": "postgres",
            ])),
        Form(url: "postgres://db.example", location: .postgres(parameters: ["host": "db.example"])),
        Form(
            url: "postgres://u:p%40ss%2Fw%3Ard@h/my%20db",
            location: .postgres(parameters: ["user": "u", "password": "p@ss/w:rd", "host": "h", "dbname": "my db"])),
        Form(
            url: "postgres://%2Fvar%2Frun%2Fpostgresql/db",
            location: .postgres(parameters: ["host": "/var/run/postgresql", "dbname": "db"])),
        Form(
            url: "postgres://[::1]:5432/db",
            location: .postgres(parameters: ["host": "::1", "port": "5432", "dbname": "db"])),
        Form(
            url: "postgres://h/db?sslmode=disable&connect_timeout=3&options=-c%20search_path%3Dx",
            location: .postgres(parameters: [
                "host": "h", "dbname": "db", "sslmode": "disable", "connect_timeout": "3",
                "options": "-c search_path=x",
            ])),
        Form(url: "sqlite:tandem.sqlite3", location: .sqliteFile(path: "tandem.sqlite3")),
        Form(url: "sqlite:relative/path/app.db", location: .sqliteFile(path: "relative/path/app.db")),
        Form(url: "sqlite:///absolute/path/app.db", location: .sqliteFile(path: "/absolute/path/app.db")),
        Form(url: "sqlite:with%20space.db", location: .sqliteFile(path: "with space.db")),
        Form(url: "sqlite::memory:", location: .sqliteMemory),
    ]

    @Test(arguments: forms)
    func parses(_ form: Form) throws {
        let url = try DatabaseURL(form.url)
        #expect(url.location == form.location)
        #expect(url.string == form.url)
        #expect(url.dialect == (form.url.hasPrefix("sqlite:") ? .sqlite : .postgres))
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let url: String
        let reason: String
        var testDescription: String { url.isEmpty ? "(empty)" : url }
    }

    static let malformed: [Malformed] = [
        Malformed(url: "", reason: "not a URL"),
        Malformed(url: "tandem.sqlite3", reason: "not a URL"),
        Malformed(url: ":memory:", reason: "not a URL"),
        Malformed(url: "mysql://root@localhost/db", reason: "unsupported database 'mysql'"),
        Malformed(url: "http://example.com", reason: "unsupported database 'http'"),
        Malformed(url: "sqlite3:app.db", reason: "unsupported database 'sqlite3'"),
        Malformed(url: "sqlite:", reason: "no file path"),
        Malformed(url: "sqlite:///", reason: "no file path"),
        Malformed(url: "sqlite://host/app.db", reason: "take no host"),
        Malformed(url: "sqlite:bad%zzname.db", reason: "invalid percent-encoding"),
        Malformed(url: "postgres://h:abc/db", reason: "malformed PostgreSQL URL"),
        Malformed(url: "postgres://h:99999/db", reason: "port 99999 is out of range"),
        Malformed(url: "postgres://h:0/db", reason: "port 0 is out of range"),
        Malformed(url: "postgres://h/db/more", reason: "the database name 'db/more' contains '/'"),
        Malformed(url: "postgres://h/db?sslmode", reason: "query parameter 'sslmode' has no value"),
        Malformed(url: "postgres://h/db?colour=blue", reason: "unknown connection parameter 'colour'"),
    ]

    @Test(arguments: malformed)
    func rejects(_ case: Malformed) {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL(`case`.url) }
        #expect(error?.url == `case`.url)
        #expect(error?.reason.contains(`case`.reason) == true, "reason: \(error?.reason ?? "none")")
        #expect(error?.description == "invalid database URL '\(`case`.url)': \(error?.reason ?? "")")
    }

    @Test(arguments: [
        ("postgres://tandem:s3cret@db:5432/app", "postgres://tandem:***@db:5432/app"),
        ("postgresql://tandem:s3cret@db/app?sslmode=require", "postgresql://tandem:***@db/app?sslmode=require"),
        ("postgres://tandem:p%40ss%2Fword@db/app", "postgres://tandem:***@db/app"),
        // Encoded differently from how Foundation would encode it, and still hidden.
        ("postgres://tandem:%73%33cret@db/app", "postgres://tandem:***@db/app"),
        (
            "postgres://tandem@db/app?password=s3cret&sslmode=require",
            "postgres://tandem@db/app?password=***&sslmode=require"
        ),
        ("postgres://tandem:s3cret@db/app?password=s3cret", "postgres://tandem:***@db/app?password=***"),
        ("postgres://tandem@db/app", "postgres://tandem@db/app"),
        ("sqlite:///var/lib/tandem/app.db", "sqlite:///var/lib/tandem/app.db"),
    ])
    func descriptionHidesThePassword(url: String, shown: String) throws {
        let parsed = try DatabaseURL(url)
        #expect(parsed.description == shown)
        #expect("\(parsed)" == shown)
        #expect(!parsed.description.contains("s3cret"))
        #expect(parsed.string == url)
    }

    @Test func invalidURLErrorHidesThePassword() {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL("postgres://tandem:s3cret@db:54x32/app") }
        #expect(error?.url == "postgres://tandem:s3cret@db:54x32/app")
        #expect(error?.description.hasPrefix("invalid database URL 'postgres://tandem:***@db:54x32/app': ") == true)
        let query = #expect(throws: DatabaseURLError.self) { try DatabaseURL("postgres://db/app?password=s3cret&x=1") }
        #expect(query?.description.contains("?password=***&x=1") == true)
        #expect(query?.description.contains("s3cret") == false)
    }

    @Test func resolvePrefersTheFlagThenTheEnvironmentThenTheDefault() throws {
        let environment = [DatabaseURL.environmentVariable: "postgres://env-host/env"]
        #expect(try DatabaseURL.resolve(flag: "sqlite:flag.db", environment: environment).string == "sqlite:flag.db")
        #expect(try DatabaseURL.resolve(flag: nil, environment: environment).string == "postgres://env-host/env")
        #expect(try DatabaseURL.resolve(flag: nil, environment: [:]).string == DatabaseURL.embeddedDefault)
        #expect(
            try DatabaseURL.resolve(flag: nil, environment: [DatabaseURL.environmentVariable: ""]).string
                == "sqlite:tandem.sqlite3")
        #expect(DatabaseURL.embeddedDefault == "sqlite:tandem.sqlite3")
        #expect(try DatabaseURL.resolve(flag: nil, environment: [:]).location == .sqliteFile(path: "tandem.sqlite3"))
    }

    @Test func resolveReportsAnInvalidFlagOrVariableEvenWhenAnotherSourceIsValid() {
        let valid = [DatabaseURL.environmentVariable: "sqlite::memory:"]
        let fromFlag = #expect(throws: DatabaseURLError.self) {
            try DatabaseURL.resolve(flag: "mysql://x", environment: valid)
        }
        #expect(fromFlag?.url == "mysql://x")
        let invalid = [DatabaseURL.environmentVariable: "nonsense"]
        let fromEnvironment = #expect(throws: DatabaseURLError.self) {
            try DatabaseURL.resolve(flag: nil, environment: invalid)
        }
        #expect(fromEnvironment?.url == "nonsense")
        #expect(throws: Never.self) { try DatabaseURL.resolve(flag: "sqlite::memory:", environment: invalid) }
    }
}
