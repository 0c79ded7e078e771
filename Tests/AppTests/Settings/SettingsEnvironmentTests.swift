import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: environment variables")
struct SettingsEnvironmentTests {
    private func load(_ environment: [String: String], plugins: [PluginSettings] = []) throws -> Settings {
        try loader(plugins: plugins, environment: environment).merged()
    }

    @Test("__ nests keys, and keeps the other keys of the mappings on the way")
    func nesting() throws {
        let settings = try load(["TANDEM_PROCESS_TTL__API": "90", "TANDEM_DATABASES__DEFAULT__PORT": "5433"])
        #expect(settings["process_ttl.api"] == .int(90))
        #expect(settings["process_ttl.content"] == .int(60))
        #expect(settings.layer(of: "process_ttl.content") == .builtIn)
        #expect(settings.source(of: "process_ttl.api")?.variable == "TANDEM_PROCESS_TTL__API")
        #expect(settings["databases.default.port"] == .int(5433))
        #expect(settings.layer(of: "databases.default") == .environment)
    }

    @Test(
        "values are YAML scalars: integers, booleans, numbers, null; quoted stays a string",
        arguments: [
            ("4", SettingValue.int(4)), ("-12", .int(-12)), ("true", .bool(true)), ("false", .bool(false)),
            ("2.5", .double(2.5)), ("~", .null), ("null", .null), ("'4'", .string("4")), ("\"true\"", .string("true")),
            ("hello", .string("hello")), ("/pulp/", .string("/pulp/")), ("\"a\\tb\"", .string("a\tb")),
        ])
    func scalars(text: String, expected: SettingValue) throws {
        #expect(try load(["TANDEM_VALUE": text])["value"] == expected)
    }

    @Test("flow lists and mappings are read as YAML; a merge marker in a list appends")
    func flowCollections() throws {
        let settings = try load([
            "TANDEM_ALLOWED_CONTENT_CHECKSUMS": "[dynaconf_merge, md5]", "TANDEM_EXTRA": "{a: 1, b: [x]}",
        ])
        #expect(try settings.strings("allowed_content_checksums") == ["sha224", "sha256", "sha384", "sha512", "md5"])
        #expect(settings["extra.a"] == .int(1))
        #expect(settings["extra.b"] == .list([.string("x")]))
        #expect(settings.source(of: "extra.b")?.variable == "TANDEM_EXTRA")

        let replaced = try load(["TANDEM_ALLOWED_CONTENT_CHECKSUMS": "[sha256]"])
        #expect(try replaced.strings("allowed_content_checksums") == ["sha256"])
    }

    @Test(
        "any other text stays exactly as written (a password with YAML's special characters)",
        arguments: [
            "p@ss: word # not a comment", "@secret", "- item", "%x", "[unclosed", "'half", "a\nb", "  spaced  ",
            "*alias", "[a]\nb: 1", "{a: 1}, b: 2",
        ])
    func literalText(text: String) throws {
        #expect(try load(["TANDEM_DATABASES__DEFAULT__PASSWORD": text])["databases.default.password"] == .string(text))
    }

    @Test("keys are lower-cased, unless a lower layer spells the key in another case")
    func keyCase() throws {
        let plugin = PluginSettings(label: "core", defaultsYAML: "CONTENT_ORIGIN: http://a\nNested: {Inner: 1}\n")
        let settings = try load(
            ["TANDEM_CONTENT_ORIGIN": "http://b", "TANDEM_NESTED__INNER": "2", "TANDEM_API_ROOT": "/x/"],
            plugins: [plugin])
        #expect(settings["CONTENT_ORIGIN"] == .string("http://b"))
        #expect(settings["content_origin"] == nil)
        #expect(settings["Nested.Inner"] == .int(2))
        #expect(settings["api_root"] == .string("/x/"))
    }

    @Test("a variable can name a key that holds a dot (env(1) can set such names)")
    func dottedKey() throws {
        let settings = try load(["TANDEM_LOGGING__LOGGERS__TANDEM.DEPRECATION__LEVEL": "error"])
        #expect(try settings.string(#"logging.loggers."tandem.deprecation".level"#) == "error")
        #expect(settings.layer(of: #"logging.loggers."tandem.deprecation".level"#) == .environment)
    }

    @Test("an empty variable is unset; TANDEM_SETTINGS and the test harness's TANDEM_TEST_* are not settings")
    func ignored() throws {
        let settings = try load([
            "TANDEM_API_ROOT": "", "TANDEM_TEST_POSTGRES_URL": "postgres://x@y/z", "OTHER_API_ROOT": "/no/",
        ])
        #expect(settings["api_root"] == .string("/pulp/"))
        #expect(settings["test_postgres_url"] == nil)
    }

    @Test("TANDEM_DATABASE_URL, the CLI's database variable, sets database_url")
    func databaseURL() throws {
        let settings = try load(["TANDEM_DATABASE_URL": "postgres://app:pw@db.example/tandem"])
        #expect(settings["database_url"] == .string("postgres://app:pw@db.example/tandem"))
        #expect(settings.layer(of: "database_url") == .environment)
    }

    @Test("two variables for one key, or a value where another needs a mapping, are both reported")
    func conflicts() {
        let problems = settingsProblems {
            _ = try load([
                "TANDEM_API_ROOT": "/a/", "TANDEM_API_ROOT__X": "1", "TANDEM_Storage": "s", "TANDEM_STORAGE__PATH": "p",
            ])
        }
        #expect(problems?.count == 2)
        #expect(
            problems?.map(\.description).sorted() == [
                "environment TANDEM_API_ROOT__X: api_root.x: conflicts with TANDEM_API_ROOT, which sets the same key or a value on its path",
                "environment TANDEM_Storage: storage: conflicts with TANDEM_STORAGE__PATH, which sets the same key or a value on its path",
            ])
    }

    @Test("a name with an empty key part is reported, with the other problems")
    func emptyParts() {
        let problems = settingsProblems { _ = try load(["TANDEM_": "1", "TANDEM_A____B": "2", "TANDEM_C__": "3"]) }
        #expect(problems?.compactMap(\.source?.variable).sorted() == ["TANDEM_", "TANDEM_A____B", "TANDEM_C__"])
        #expect(problems?.allSatisfy { $0.layer == .environment && $0.message.contains("empty key") } == true)
    }
}
