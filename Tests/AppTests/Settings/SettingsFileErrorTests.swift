import Foundation
import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: files that cannot be loaded")
struct SettingsFileErrorTests {
    private func problems(_ yaml: String) throws -> [SettingsProblem]? {
        try withSettingsFile(yaml) { path in settingsProblems { _ = try loader(file: path).load() } }
    }

    @Test("a syntax error: file and line, and not the line's text (it may hold a password)")
    func syntaxError() throws {
        try withSettingsFile("api_root: /pulp/\ndatabases:\n  password: \"hunter2\n  port: 1\n") { path in
            let problems = settingsProblems { _ = try loader(file: path).load() }
            #expect(problems?.count == 1)
            let problem = try #require(problems?.first)
            #expect(problem.layer == .file(path))
            #expect(problem.line != nil && problem.line! >= 3, "\(problem)")
            #expect(problem.description.hasPrefix("\(path):\(problem.line!): YAML syntax error: "))
            #expect(!problem.description.contains("hunter2"))
        }
    }

    @Test("bad indentation is reported at its line")
    func indentation() throws {
        let problem = try #require(try problems("a: 1\nb:\n  c: 2\n d: 3\n")?.first)
        #expect(problem.line == 4, "\(problem)")
    }

    @Test("a duplicate key names the key and its mapping's line")
    func duplicateKey() throws {
        let problem = try #require(try problems("api_root: /a/\nstorage: {path: x}\napi_root: /b/\n")?.first)
        #expect(problem.message == "duplicate key(s) 'api_root'")
        #expect(problem.line != nil)
    }

    @Test("the top level must be a mapping")
    func notAMapping() throws {
        #expect(
            try problems("- a\n- b\n")?.map(\.description).first?.hasSuffix(
                ":1: the settings must be a mapping of keys to values, not a list") == true)
        #expect(
            try problems("just text\n")?.first?.message
                == "the settings must be a mapping of keys to values, not a single value")
    }

    @Test("every bad value of a file is reported at once: keys that are not text, huge integers")
    func severalInOneFile() throws {
        let found = try problems("a: 99999999999999999999999\n[x]: 1\nb:\n  c: 123456789012345678901234567890\n")
        #expect(
            found?.map { "\($0.line ?? 0) \($0.key ?? "-") \($0.message)" } == [
                "1 a the number does not fit in a 64-bit integer",
                "2 - a key must be a single value, not a list",
                "4 b.c the number does not fit in a 64-bit integer",
            ])
    }

    @Test("a file that is not UTF-8 is refused")
    func notUTF8() throws {
        try withSettingsFile(Data([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A])) { path in
            let problems = settingsProblems { _ = try loader(file: path).load() }
            #expect(problems?.first?.message == "the settings file is not UTF-8 text")
        }
    }

    @Test("an alias bomb is refused instead of expanded")
    func aliasBomb() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        let found = try problems(yaml)
        #expect(found?.count == 1)
        #expect(found?.first?.message.contains("more than 100000 values") == true)
    }

    @Test("nesting deeper than 64 levels is refused")
    func deepNesting() throws {
        let yaml = "a: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\n"
        let found = try problems(yaml)
        #expect(found?.first?.message == "nested deeper than 64 levels")
    }

    @Test("a file larger than 1 MiB is refused")
    func huge() throws {
        let found = try problems("a: " + String(repeating: "x", count: 1 << 20) + "\n")
        #expect(found?.first?.message == "the settings file is larger than 1048576 bytes")
    }

    @Test("a plugin's defaults that do not parse name the plugin and line; the file's problems come too")
    func pluginAndFile() throws {
        let plugin = PluginSettings(label: "broken", defaultsYAML: "a: 1\nb: [\n")
        try withSettingsFile("x: {\n") { path in
            let problems = settingsProblems { _ = try loader(plugins: [plugin], file: path).load() }
            #expect(problems?.map(\.layer) == [.plugin("broken"), .file(path)])
            #expect(problems?.allSatisfy { $0.line != nil } == true)
        }
    }
}
