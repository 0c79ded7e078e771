import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: secrets are redacted")
struct SettingsRedactionTests {
    @Test(
        "keys that name a secret are secret, at any depth",
        arguments: [
            ("databases.default.password", true), ("api_key", true), ("secret_key", true), ("auth.token", true),
            ("SECRETS.x", true), ("private-key", true), ("aws.credentials.id", true), ("api_root", false),
            ("monkey", false), ("keyboard_layout", false), ("storage.path", false), ("passenger", false),
        ])
    func secretKeys(key: String, secret: Bool) throws {
        #expect(SettingsRedaction.isSecret(try SettingKey(parsing: key)) == secret)
    }

    @Test("entries hide secret values and URL passwords, and keep everything else")
    func entries() throws {
        let plugin = PluginSettings(
            label: "core",
            defaultsYAML: """
                databases:
                  default: {password: hunter2, port: 5432, user: app}
                api_key: 12345
                empty_token: ~
                mirrors: ["https://u:mirrorpw@mirror.example/x", "https://plain.example/"]
                secrets: {a: one, b: [two]}
                """)
        let settings = try loader(
            plugins: [plugin], environment: ["TANDEM_DATABASE_URL": "postgres://app:dbpw@db.example:5432/tandem"]
        ).load()
        let entries = Dictionary(uniqueKeysWithValues: try settings.entries().map { ($0.key.description, $0.value) })
        #expect(entries["databases.default.password"] == .string("***"))
        #expect(entries["databases.default.port"] == .int(5432))
        #expect(entries["databases.default.user"] == .string("app"))
        #expect(entries["api_key"] == .string("***"))
        #expect(entries["empty_token"] == .null)
        #expect(entries["database_url"] == .string("postgres://app:***@db.example:5432/tandem"))
        #expect(entries["mirrors"] == .list([.string("***"), .string("https://plain.example/")]))
        #expect(entries["secrets.a"] == .string("***"))
        #expect(entries["secrets.b"] == .string("***"))
        let everything = "\(try settings.entries())"
        for secret in ["hunter2", "12345", "mirrorpw", "dbpw", "one", "two"] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
        // The values themselves stay readable to the program.
        #expect(settings["databases.default.password"] == .string("hunter2"))
    }

    @Test("validator messages never show a secret, even when a custom validator repeats it")
    func errors() throws {
        let plugin = PluginSettings(
            label: "core", defaultsYAML: "auth: {token: tok-abc-123, retries: 99}\n",
            validators: [
                .custom("auth.token") { value in "token \(value.map { "\($0)" } ?? "") is not valid" },
                .oneOf("auth.token", [.string("a")]), .range("auth.retries", 0...3),
            ])
        let problems =
            settingsProblems {
                _ = try loader(
                    plugins: [plugin],
                    environment: ["TANDEM_DATABASE_URL": "postgres://u:dbpw@h/db?sslmode=x&password=qpw"]
                )
                .load()
            } ?? []
        let text = "\(SettingsError(problems: problems))"
        #expect(problems.count == 3, "\(text)")
        #expect(!text.contains("tok-abc-123"), "\(text)")
        #expect(text.contains("auth.token: must be one of '***', got '***'"), "\(text)")
        #expect(text.contains(#"auth.token: token string("***") is not valid"#), "\(text)")
        #expect(text.contains("auth.retries: must be between 0 and 3, got 99"))
        #expect(!text.contains("dbpw") && !text.contains("qpw"))
    }

    @Test("a URL password in an invalid database URL stays hidden in the error")
    func invalidURL() {
        let problems =
            settingsProblems {
                _ = try loader(environment: ["TANDEM_DATABASE_URL": "postgres://u:dbpw@h:notaport/db"]).load()
            } ?? []
        #expect(problems.count == 1)
        #expect(problems.first?.key == "database_url")
        #expect(!"\(problems)".contains("dbpw"), "\(problems)")
    }
}
