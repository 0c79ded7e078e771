import Foundation
import TandemApp
import Testing

// Settings hold no database: these tests need neither PostgreSQL nor SQLite.
@Suite("Settings: layers, later wins")
struct SettingsLayerTests {
    @Test("built-in defaults alone: every default key, each from the built-in layer")
    func builtInDefaults() throws {
        let settings = try loader().load()
        #expect(settings["database_url"] == .string("sqlite:tandem.sqlite3"))
        #expect(settings["api_root"] == .string("/pulp/"))
        #expect(try settings.int("process_ttl.api") == 60)
        #expect(try settings.int("process_ttl.content") == 60)
        #expect(try settings.int("process_ttl.worker") == 30)
        #expect(try settings.strings("allowed_content_checksums") == ["sha224", "sha256", "sha384", "sha512"])
        #expect(try settings.string(#"logging.loggers."tandem.deprecation".level"#) == "warning")
        #expect(try settings.string("working_directory") == ".tandem/work")
        #expect(try settings.string("storage.path") == ".tandem/storage")
        #expect(settings.layer(of: "process_ttl.api") == .builtIn)
        #expect(settings.file == nil)
    }

    @Test("plugin defaults lie over the built-in ones, and a later plugin over an earlier one")
    func pluginOrder() throws {
        let core = PluginSettings(label: "core", defaultsYAML: "api_root: /core/\nshared: core\ncore_only: 1\n")
        let file = PluginSettings(label: "file", defaultsYAML: "shared: file\nfile_only: true\n")
        let settings = try loader(plugins: [core, file]).load()
        #expect(settings["api_root"] == .string("/core/"))
        #expect(settings.layer(of: "api_root") == .plugin("core"))
        #expect(settings["shared"] == .string("file"))
        #expect(settings.layer(of: "shared") == .plugin("file"))
        #expect(settings.source(of: "shared")?.line == 1)
        #expect(settings["core_only"] == .int(1))
        #expect(settings["file_only"] == .bool(true))
        #expect(settings.layer(of: "process_ttl.api") == .builtIn)

        let reversed = try loader(plugins: [file, core]).load()
        #expect(reversed["shared"] == .string("core"))
    }

    @Test("the settings file lies over plugin defaults, the environment over the file")
    func fileThenEnvironment() throws {
        let plugin = PluginSettings(
            label: "file", defaultsYAML: "api_root: /plugin/\nprocess_ttl: {api: 10, content: 10, worker: 10}\n")
        try withSettingsFile("api_root: /from-file/\nworking_directory: /srv/work\n") { path in
            let settings = try loader(
                plugins: [plugin], file: path, environment: ["TANDEM_WORKING_DIRECTORY": "/env/work"]
            ).load()
            #expect(settings["api_root"] == .string("/from-file/"))
            #expect(settings.source(of: "api_root") == SettingSource(layer: .file(path), line: 1))
            #expect(settings["working_directory"] == .string("/env/work"))
            #expect(
                settings.source(of: "working_directory")
                    == SettingSource(layer: .environment, variable: "TANDEM_WORKING_DIRECTORY"))
            #expect(
                settings["process_ttl"]
                    == .mapping(SettingMapping([("api", .int(10)), ("content", .int(10)), ("worker", .int(10))])))
            #expect(settings.layer(of: "process_ttl.worker") == .plugin("file"))
            #expect(settings.file == path)
        }
    }

    private func apiRoot(_ file: String?, _ environment: [String: String], system: String) throws -> SettingValue? {
        try SettingsLoader(plugins: [], file: file, environment: environment, systemFile: system).load()["api_root"]
    }

    @Test("the file: --settings, else TANDEM_SETTINGS, else the system file when present")
    func fileChoice() throws {
        try withSettingsFile("api_root: /flag/\n") { flag in
            try withSettingsFile("api_root: /variable/\n") { variable in
                try withSettingsFile("api_root: /system/\n") { system throws in
                    #expect(try apiRoot(flag, ["TANDEM_SETTINGS": variable], system: system) == .string("/flag/"))
                    #expect(try apiRoot(nil, ["TANDEM_SETTINGS": variable], system: system) == .string("/variable/"))
                    #expect(try apiRoot(nil, ["TANDEM_SETTINGS": ""], system: system) == .string("/system/"))
                    #expect(try apiRoot(nil, [:], system: system) == .string("/system/"))
                }
            }
        }
        #expect(try loader().load()["api_root"] == .string("/pulp/"))
    }

    @Test("a named file that does not exist is an error naming it; TANDEM_SETTINGS is not itself a setting")
    func missingFile() throws {
        let path = "/nonexistent/settings-\(UUID().uuidString).yaml"
        let problems = settingsProblems { _ = try loader(file: path).load() }
        #expect(problems?.count == 1)
        #expect(problems?.first?.layer == .file(path))
        #expect(problems?.first?.message.contains("does not exist") == true)

        let viaVariable = settingsProblems { _ = try loader(environment: ["TANDEM_SETTINGS": path]).load() }
        #expect(viaVariable?.first?.layer == .file(path))

        try withSettingsFile("{}\n") { empty in
            let settings = try loader(environment: ["TANDEM_SETTINGS": empty]).load()
            #expect(settings["settings"] == nil)
        }
    }

    @Test("an empty --settings path is an error, not the working directory")
    func emptyPath() {
        let problems = settingsProblems { _ = try loader(file: "").load() }
        #expect(problems?.map(\.description) == ["file : the settings file's path is empty"])
    }

    @Test("a directory or an endless device is refused without reading it")
    func notARegularFile() {
        for path in [FileManager.default.temporaryDirectory.path, "/dev/zero"] {
            let problems = settingsProblems { _ = try loader(file: path).load() }
            #expect(problems?.first?.message == "the settings file is not a regular file", "\(path)")
        }
    }

    @Test("an empty file and a file of comments are no settings at all")
    func emptyFile() throws {
        for text in ["", "# nothing yet\n"] {
            try withSettingsFile(text) { path in
                let settings = try loader(file: path).load()
                #expect(settings["api_root"] == .string("/pulp/"))
            }
        }
    }

    @Test("a symbolic link to the file is followed")
    func symbolicLink() throws {
        try withSettingsFile("api_root: /linked/\n") { path in
            let link = path + ".link"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
            defer { try? FileManager.default.removeItem(atPath: link) }
            #expect(try loader(file: link).load()["api_root"] == .string("/linked/"))
        }
    }
}
