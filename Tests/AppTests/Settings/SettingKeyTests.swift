import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: keys and typed getters")
struct SettingKeyTests {
    @Test(
        "dotted keys, with quoted parts for keys that hold dots",
        arguments: [
            ("a", ["a"]), ("process_ttl.api", ["process_ttl", "api"]),
            (#"logging.loggers."tandem.deprecation".level"#, ["logging", "loggers", "tandem.deprecation", "level"]),
            (#""a\"b".c"#, [#"a"b"#, "c"]), (#""""#, [""]), (#""x y""#, ["x y"]),
        ])
    func parse(text: String, segments: [String]) throws {
        let key = try SettingKey(parsing: text)
        #expect(key.segments == segments)
        #expect(key.description == text)
    }

    @Test("keys that cannot be parsed say why", arguments: ["", "a..b", ".a", "a.", #""open"#, #"a"b""#, #""a"b"#])
    func invalid(text: String) {
        #expect(throws: SettingKeyError.self) { try SettingKey(parsing: text) }
    }

    @Test("typed getters return the value or throw naming the key and where its value came from")
    func getters() throws {
        let plugin = PluginSettings(
            label: "core", defaultsYAML: "n: 3\nf: 1.5\nflag: true\nlist: [a, 1]\ntext: hi\nnothing: ~\n")
        let settings = try loader(plugins: [plugin]).load()
        #expect(try settings.int("n") == 3)
        #expect(try settings.double("n") == 3)
        #expect(try settings.double("f") == 1.5)
        #expect(try settings.bool("flag"))
        #expect(try settings.string("text") == "hi")
        #expect(settings["nothing"] == .null)

        #expect(
            settingsProblems { _ = try settings.int("text") }?.map(\.description) == [
                "plugin core, line 5: text: must be an integer, got a string"
            ])
        #expect(
            settingsProblems { _ = try settings.string("missing.key") }?.map(\.description) == [
                "missing.key: is required but not set"
            ])
        #expect(
            settingsProblems { _ = try settings.string("nothing") }?.map(\.description) == [
                "nothing: is required but not set"
            ])
        #expect(
            settingsProblems { _ = try settings.strings("list") }?.first?.message
                == "must be a list of strings, but an item is an integer")
        #expect(
            settingsProblems { _ = try settings.bool("a..b") }?.first?.message
                == #"it has an empty part (quote an empty key: "")"#)
        #expect(settings["a..b"] == nil)
    }

    @Test("entries under a key; an unknown key is an error")
    func entriesUnder() throws {
        let settings = try loader().load()
        let entries = try settings.entries(under: "process_ttl")
        #expect(entries.map(\.key.description) == ["process_ttl.api", "process_ttl.content", "process_ttl.worker"])
        #expect(try settings.entries(under: "api_root").map(\.value) == [.string("/pulp/")])
        #expect(settingsProblems { _ = try settings.entries(under: "nope") }?.first?.message == "no such setting")
        #expect(try settings.entries().first?.key.description == "database_url")
    }
}
