import Foundation
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("tandem settings")
struct SettingsCommandTests {
    /// The environment a run starts from: no settings from the machine or the test's own
    /// environment (empty variables count as unset).
    static let clean: [String: String] = {
        var environment: [String: String] = [:]
        for name in ProcessInfo.processInfo.environment.keys where name.hasPrefix("TANDEM_") {
            environment[name] = ""
        }
        return environment
    }()

    static func run(_ arguments: [String], _ environment: [String: String] = [:], in folder: URL? = nil) throws
        -> TandemRun
    {
        try TandemProcess.run(arguments, environment: clean.merging(environment) { _, new in new }, in: folder)
    }

    @Test("show: built-in defaults, one line each with its layer")
    func showDefaults() throws {
        let run = try Self.run(["settings", "show"])
        #expect(run.status == 0, "\(run)")
        let lines = run.output.split(separator: "\n")
        #expect(lines.contains(#"database_url = "sqlite:tandem.sqlite3"  (built-in defaults, line 1)"#), "\(run)")
        #expect(lines.contains(#"api_root = "/pulp/"  (built-in defaults, line 2)"#))
        #expect(lines.contains(#"process_ttl.worker = 30  (built-in defaults, line 6)"#))
        #expect(
            lines.contains(
                #"allowed_content_checksums = ["sha224","sha256","sha384","sha512"]  (built-in defaults, line 7)"#))
        #expect(
            lines.contains(#"logging.loggers."tandem.deprecation".level = "warning"  (built-in defaults, line 11)"#))
        #expect(
            lines.contains(#"file.max_manifest_size = 10485760  (plugin file, line 4)"#), "the file plugin's default")
        #expect(lines.contains("immediate_task_time_limit = 5  (built-in defaults, line 13)"), "\(run)")
        #expect(lines.contains("api.port = 24817  (built-in defaults, line 18)"), "\(run)")
        #expect(lines.contains(#"content_path_prefix = "/pulp/content/"  (built-in defaults, line 19)"#), "\(run)")
        #expect(lines.count == 14, "\(run)")
    }

    @Test("the plugins' validators run with the built-in ones, naming the key and its source")
    func pluginValidators() throws {
        let bad = try Self.run(["settings", "check"], ["TANDEM_FILE__MAX_MANIFEST_SIZE": "0"])
        #expect(bad.status == 2, "\(bad)")
        #expect(bad.errors.contains("environment TANDEM_FILE__MAX_MANIFEST_SIZE: file.max_manifest_size: "), "\(bad)")
        let good = try Self.run(["settings", "check"], ["TANDEM_FILE__MAX_MANIFEST_SIZE": "2048"])
        #expect(good.status == 0, "\(good)")
    }

    @Test("show: the file and the environment, the later winning, secrets hidden")
    func showLayers() throws {
        try withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("settings.yaml")
            try Data(
                "process_ttl:\n  dynaconf_merge: true\n  api: 90\ndatabases: {default: {password: hunter2}}\n".utf8
            )
            .write(to: file)
            let run = try Self.run(
                ["settings", "show", "--settings", file.path],
                [
                    "TANDEM_PROCESS_TTL__WORKER": "45",
                    "TANDEM_DATABASE_URL": "postgres://app:dbsecret@db.example/tandem",
                ])
            #expect(run.status == 0, "\(run)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.contains("process_ttl.api = 90  (\(file.path):3)"), "\(run)")
            #expect(lines.contains("process_ttl.content = 30  (built-in defaults, line 5)"))
            #expect(lines.contains("process_ttl.worker = 45  (environment TANDEM_PROCESS_TTL__WORKER)"))
            #expect(lines.contains(#"databases.default.password = "***"  (\#(file.path):4)"#))
            #expect(
                lines.contains(
                    #"database_url = "postgres://app:***@db.example/tandem"  (environment TANDEM_DATABASE_URL)"#))
            #expect(!run.output.contains("hunter2") && !run.output.contains("dbsecret"))
        }
    }

    @Test("show KEY: that setting and those under it; an unknown key exits 2")
    func showKey() throws {
        let run = try Self.run(["settings", "show", "process_ttl"], ["TANDEM_PROCESS_TTL__API": "5"])
        #expect(run.status == 0, "\(run)")
        #expect(
            run.output == """
                process_ttl.api = 5  (environment TANDEM_PROCESS_TTL__API)
                process_ttl.content = 30  (built-in defaults, line 5)
                process_ttl.worker = 30  (built-in defaults, line 6)

                """)
        let quoted = try Self.run(["settings", "show", #"logging.loggers."tandem.deprecation".level"#])
        #expect(
            quoted.output == #"logging.loggers."tandem.deprecation".level = "warning"  (built-in defaults, line 11)"#
                + "\n", "\(quoted)")

        let unknown = try Self.run(["settings", "show", "nope"])
        #expect(unknown.status == 2, "\(unknown)")
        #expect(unknown.errors.contains("nope: no such setting"), "\(unknown)")
    }

    @Test("show --json: one entry per setting with value, layer and source; secrets hidden")
    func showJSON() throws {
        let run = try Self.run(
            ["settings", "show", "--json"],
            ["TANDEM_DATABASE_URL": "postgres://app:dbsecret@db.example/tandem", "TANDEM_AUTH__TOKEN": "tok123"])
        #expect(run.status == 0, "\(run)")
        #expect(!run.output.contains("dbsecret") && !run.output.contains("tok123"), "\(run)")
        struct Document: Decodable {
            struct Entry: Decodable {
                let key: String
                let layer: String
                let source: String
                let line: Int?
                let variable: String?
            }
            let file: String?
            let settings: [Entry]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(run.output.utf8))
        #expect(document.file == nil)
        let url = try #require(document.settings.first { $0.key == "database_url" })
        #expect(url.layer == "environment")
        #expect(url.variable == "TANDEM_DATABASE_URL")
        let ttl = try #require(document.settings.first { $0.key == "process_ttl.api" })
        #expect(ttl.layer == "built-in" && ttl.line == 4)
        let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        let entries = object?["settings"] as? [[String: Any]] ?? []
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0["key"] as? String ?? "", $0["value"]) })
        #expect(values["database_url"] as? String == "postgres://app:***@db.example/tandem")
        #expect(values["auth.token"] as? String == "***")
        #expect(values["process_ttl.api"] as? Int == 120)
        #expect(values["allowed_content_checksums"] as? [String] == ["sha224", "sha256", "sha384", "sha512"])
    }

    @Test("check: exit 0 when valid, naming the file read (TANDEM_SETTINGS)")
    func checkValid() throws {
        try withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("s.yaml")
            try Data("api_root: /api/\n".utf8).write(to: file)
            let run = try Self.run(["settings", "check"], ["TANDEM_SETTINGS": file.path])
            #expect(run.status == 0, "\(run)")
            #expect(run.output == "settings are valid (settings file: \(file.path))\n")
        }
    }

    @Test("check: every failure at once with its source, exit 2, secrets hidden")
    func checkInvalid() throws {
        try withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("settings.yaml")
            try Data("api_root: pulp\nprocess_ttl: {dynaconf_merge: true, api: 0}\n".utf8).write(to: file)
            let run = try Self.run(
                ["settings", "check", "--settings", file.path],
                ["TANDEM_DATABASE_URL": "postgres://u:dbsecret@h:port/db", "TANDEM_ALLOWED_CONTENT_CHECKSUMS": "[md5]"])
            #expect(run.status == 2, "\(run)")
            #expect(run.output == "")
            let lines = run.errors.split(separator: "\n").map(String.init)
            #expect(lines.first == "Error: invalid settings (4 problems):", "\(run)")
            #expect(
                lines.contains {
                    $0.hasPrefix("  environment TANDEM_DATABASE_URL: database_url: not a usable database URL")
                })
            #expect(lines.contains("  \(file.path):1: api_root: must start and end with '/', like /pulp/"))
            #expect(
                lines.contains(
                    "  environment TANDEM_ALLOWED_CONTENT_CHECKSUMS: allowed_content_checksums: must contain 'sha256'"))
            #expect(lines.contains("  \(file.path):2: process_ttl.api: must be between 1 and 86400, got 0"))
            #expect(!run.errors.contains("dbsecret"))
        }
    }

    @Test("an unparsable file: file and line, exit 2, for show and check alike")
    func unparsable() throws {
        try withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("settings.yaml")
            try Data("api_root: /a/\nstorage:\n  path: [x\n".utf8).write(to: file)
            for command in [["settings", "check"], ["settings", "show"], ["settings", "show", "--json"]] {
                let run = try Self.run(command + ["--settings", file.path])
                #expect(run.status == 2, "\(run)")
                #expect(run.output == "", "\(run)")
                #expect(run.errors.contains("  \(file.path):4: YAML syntax error: "), "\(run)")
            }
        }
    }

    @Test("show prints the values even when validators fail, then the failures, exit 2")
    func showInvalid() throws {
        let run = try Self.run(["settings", "show", "api_root"], ["TANDEM_API_ROOT": "nope"])
        #expect(run.status == 2, "\(run)")
        #expect(run.output == #"api_root = "nope"  (environment TANDEM_API_ROOT)"# + "\n")
        #expect(run.errors.contains("environment TANDEM_API_ROOT: api_root: must start and end with '/'"))
    }

    @Test("infinities and NaN print as YAML spells them, in text and JSON")
    func nonFiniteNumbers() throws {
        let environment = ["TANDEM_BIG": ".inf", "TANDEM_ODD": ".nan"]
        let text = try Self.run(["settings", "show", "big"], environment)
        #expect(text.status == 0, "\(text)")
        #expect(text.output == #"big = ".inf"  (environment TANDEM_BIG)"# + "\n")
        let json = try Self.run(["settings", "show", "--json", "odd"], environment)
        #expect(json.status == 0, "\(json)")
        #expect(json.output.contains(#""value":".nan""#), "\(json)")
    }

    @Test("a missing --settings file exits 2 naming it")
    func missingFile() throws {
        let run = try Self.run(["settings", "check", "--settings", "/nonexistent/s.yaml"])
        #expect(run.status == 2, "\(run)")
        #expect(run.errors.contains("file /nonexistent/s.yaml: cannot read the settings file"), "\(run)")
    }
}
