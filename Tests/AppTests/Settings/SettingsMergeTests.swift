import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: replace and merge")
struct SettingsMergeTests {
    private static let base = PluginSettings(
        label: "core",
        defaultsYAML: """
            logging:
              handlers: [console]
              loggers:
                tandem.deprecation: {level: warning}
                tandem.tasks: {level: info}
              format: short
            hosts: [a, b]
            """)

    private func load(_ yaml: String) throws -> Settings {
        try withSettingsFile(yaml) { path in try loader(plugins: [Self.base], file: path).merged() }
    }

    @Test("a mapping replaces the lower layer's mapping")
    func replace() throws {
        let settings = try load("logging:\n  loggers:\n    mine: {level: debug}\n")
        #expect(
            settings["logging"]
                == .mapping(
                    SettingMapping([
                        (
                            "loggers",
                            .mapping(
                                SettingMapping([("mine", .mapping(SettingMapping([("level", .string("debug"))])))]))
                        )
                    ])))
        #expect(settings["logging.format"] == nil)
        #expect(settings[#"logging.loggers."tandem.deprecation""#] == nil)
    }

    @Test("dynaconf_merge: true merges the mapping into the lower one, and the mappings inside it too")
    func mergeDeep() throws {
        let settings = try load(
            """
            logging:
              dynaconf_merge: true
              format: long
              loggers:
                mine: {level: debug}
                tandem.tasks: {level: error}
            """)
        #expect(settings["logging.format"] == .string("long"))
        #expect(settings["logging.handlers"] == .list([.string("console")]))
        #expect(settings[#"logging.loggers."tandem.deprecation".level"#] == .string("warning"))
        #expect(settings.layer(of: #"logging.loggers."tandem.deprecation".level"#) == .plugin("core"))
        #expect(settings["logging.loggers.mine.level"] == .string("debug"))
        #expect(settings[#"logging.loggers."tandem.tasks".level"#] == .string("error"))
        #expect(settings.source(of: #"logging.loggers."tandem.tasks".level"#)?.line == 6)
        #expect(settings["dynaconf_merge"] == nil)
        #expect(settings["logging.dynaconf_merge"] == nil)
    }

    @Test("a marker deep down merges the mappings on the path to it; their other keys still replace")
    func markerOnPath() throws {
        let settings = try load(
            """
            logging:
              loggers:
                dynaconf_merge: true
                mine: {level: debug}
              handlers: [file]
            """)
        #expect(settings["logging.format"] == .string("short"))
        #expect(settings[#"logging.loggers."tandem.deprecation".level"#] == .string("warning"))
        #expect(settings["logging.loggers.mine.level"] == .string("debug"))
        #expect(settings["logging.handlers"] == .list([.string("file")]))
    }

    @Test("dynaconf_merge: false is the default: replace")
    func explicitReplace() throws {
        let settings = try load("logging:\n  dynaconf_merge: false\n  format: long\n")
        #expect(settings["logging"] == .mapping(SettingMapping([("format", .string("long"))])))
    }

    @Test("a list replaces the lower list; one that starts with dynaconf_merge appends")
    func lists() throws {
        #expect(try load("hosts: [c]\n")["hosts"] == .list([.string("c")]))
        let appended = try load("hosts: [dynaconf_merge, c, d]\n")
        #expect(appended["hosts"] == .list([.string("a"), .string("b"), .string("c"), .string("d")]))
        #expect(appended.layer(of: "hosts") != .plugin("core"))
        let block = try load("hosts:\n  - dynaconf_merge\n  - c\n")
        #expect(block["hosts"] == .list([.string("a"), .string("b"), .string("c")]))
        let nothingBelow = try load("fresh: [dynaconf_merge, x]\n")
        #expect(nothingBelow["fresh"] == .list([.string("x")]))
    }

    @Test("inside a merged mapping a list still replaces unless it has its own marker")
    func listsInsideMerge() throws {
        let replaced = try load("logging: {dynaconf_merge: true, handlers: [file]}\n")
        #expect(replaced["logging.handlers"] == .list([.string("file")]))
        let appended = try load("logging: {dynaconf_merge: true, handlers: [dynaconf_merge, file]}\n")
        #expect(appended["logging.handlers"] == .list([.string("console"), .string("file")]))
        #expect(appended["logging.format"] == .string("short"))
    }

    @Test("a plugin can merge into the built-in defaults; the environment merges key by key")
    func pluginAndEnvironment() throws {
        let plugin = PluginSettings(
            label: "file",
            defaultsYAML:
                "allowed_content_checksums: [dynaconf_merge, md5]\nlogging: {loggers: {dynaconf_merge: true, file: {level: info}}}\n"
        )
        let settings = try loader(
            plugins: [plugin], environment: ["TANDEM_LOGGING__LOGGERS__FILE__LEVEL": "debug"]
        ).merged()
        #expect(try settings.strings("allowed_content_checksums") == ["sha224", "sha256", "sha384", "sha512", "md5"])
        #expect(settings[#"logging.loggers."tandem.deprecation".level"#] == .string("warning"))
        #expect(settings["logging.loggers.file.level"] == .string("debug"))
        #expect(settings.layer(of: "logging.loggers.file.level") == .environment)
    }

    @Test("YAML merge keys (<<) copy an anchored mapping's keys; the mapping's own keys win")
    func yamlMergeKeys() throws {
        let settings = try load(
            """
            base: &base {a: 1, b: 2}
            other: &other {c: 3, a: 9}
            one: {<<: *base, b: 20}
            both:
              <<: [*base, *other]
              d: 4
            """)
        #expect(settings["one"] == .mapping(SettingMapping([("b", .int(20)), ("a", .int(1))])))
        #expect(settings["both.a"] == .int(1))
        #expect(settings["both.c"] == .int(3))
        #expect(settings["both.d"] == .int(4))
        #expect(settings["both.<<"] == nil)
        let problems = settingsProblems { _ = try load("x: {<<: 1}\n") }
        #expect(problems?.map(\.message) == ["a merge key (<<) takes a mapping or a list of mappings"])
    }

    @Test("a marker that is not true or false is an error with its line")
    func badMarker() {
        let problems = settingsProblems { _ = try load("a: 1\nlogging:\n  dynaconf_merge: yes please\n") }
        #expect(problems?.count == 1)
        #expect(problems?.first?.key == "logging.dynaconf_merge")
        #expect(problems?.first?.line == 3)
        #expect(problems?.first?.message == "must be true or false")
    }
}
