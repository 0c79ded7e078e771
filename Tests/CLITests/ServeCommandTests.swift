import Foundation
import TandemTesting
import Testing

/// `tandem serve` through the binary: the refusals, `--migrate`, and where it listens (settings,
/// flags). Every child is killed when its test ends (``ServeProcess``).
@Suite("tandem serve")
struct ServeCommandTests {
    @Test("without --migrate it refuses (exit 3) while migrations are pending", arguments: TestDatabaseKind.engines)
    func refusesWhilePending(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let status = try await ServeProcess.with(["serve", "--port", "0", "--database", test.url]) { serve in
            let status = try await serve.exitStatus()
            #expect(serve.errors.contains("refusing to serve"), "\(serve.errors)")
            #expect(serve.errors.contains("core/0001_initial"), "\(serve.errors)")
            #expect(serve.errors.contains("tandem serve --migrate"), "\(serve.errors)")
            #expect(!serve.output.contains("listening"))
            return status
        }
        #expect(status == 3)
    }

    @Test(
        "--migrate applies the plugins' migrations, serves, and stops on SIGTERM", arguments: TestDatabaseKind.engines)
    func migratesThenServes(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let arguments = ["serve", "--migrate", "--port", "0", "--database", test.url]
        try await ServeProcess.with(arguments) { serve in
            let base = try await serve.listening()
            #expect(serve.output.contains("applied"), "\(serve.output)")
            #expect(serve.output.contains("core/0001_initial") && serve.output.contains("file/0001_initial"))
            let status = try await httpGet(base.appendingPathComponent("status/"))
            #expect(status.status == 200)
            #expect(status.body.contains("\"online_api_apps\""))
            let root = base.deletingLastPathComponent().deletingLastPathComponent()
            let health = try await httpGet(root.appendingPathComponent("file/health/"))
            #expect(health.status == 200, "\(health.body)")
            #expect(health.body.contains("\"plugin\":\"file\""), "\(health.body)")
            #expect(try await serve.terminate() == 0)
        }
        // Everything is applied now: a second run applies nothing and serves.
        try await ServeProcess.with(arguments) { serve in
            _ = try await serve.listening()
            #expect(!serve.output.contains("applied"), "\(serve.output)")
        }
    }

    @Test(
        "--migrate refuses (exit 3), applying nothing, while a breaking migration is pending",
        arguments: TestDatabaseKind.engines)
    func migrateRefusesBreaking(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        let common = ["--migrations", MigrateFolders.fixtures, "--database", test.url]
        let status = try await ServeProcess.with(["serve", "--migrate", "--port", "0"] + common) { serve in
            let status = try await serve.exitStatus()
            #expect(serve.errors.contains("shop/0006_drop_title (breaking)"), "\(serve.errors)")
            #expect(serve.errors.contains("tandem migrate --breaking"), "\(serve.errors)")
            #expect(!serve.output.contains("listening"))
            return status
        }
        #expect(status == 3)
        let report = try TandemProcess.run(["status", "--json"] + common)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        #expect((object["applied"] as? [Any])?.isEmpty == true, "\(report)")
    }

    @Test(
        "api.bind, api.port and api_root come from the settings; the flags override them",
        arguments: TestDatabaseKind.engines)
    func settingsAndFlags(_ kind: TestDatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try await withTemporaryFolder { folder in
            let settings = folder.appendingPathComponent("settings.yaml")
            let port = try freeLoopbackPort()
            try "api_root: /custom/\napi:\n  bind: 127.0.0.1\n  port: \(port)\n".write(
                to: settings, atomically: true, encoding: .utf8)
            let common = ["serve", "--migrate", "--settings", settings.path, "--database", test.url]
            try await ServeProcess.with(common) { serve in
                let base = try await serve.listening()
                #expect(base.absoluteString == "http://127.0.0.1:\(port)/custom/api/v3/")
                #expect(try await httpGet(base.appendingPathComponent("status/")).status == 200)
            }
            try await ServeProcess.with(common + ["--port", "0", "--api-root", "/flag/"]) { serve in
                let base = try await serve.listening()
                #expect(base.absoluteString.hasSuffix("/flag/api/v3/"))
                #expect(base.port != port)
                #expect(try await httpGet(base.appendingPathComponent("status/")).status == 200)
            }
            // The environment layer overrides the file, as for every setting.
            try await ServeProcess.with(common + ["--port", "0"], environment: ["TANDEM_API_ROOT": "/env/"]) { serve in
                let base = try await serve.listening()
                #expect(base.absoluteString.hasSuffix("/env/api/v3/"))
            }
        }
    }

    // Bad input is refused before any database is opened, so one engine is enough here.
    @Test("invalid settings and flags are refused (exit 2), naming the key or flag")
    func invalidSettingsAndFlags() async throws {
        try await withTemporaryFolder { folder in
            let settings = folder.appendingPathComponent("settings.yaml")
            try "api_root: pulp\napi:\n  bind: ''\n  port: 70000\ncontent_path_prefix: /a b/\n".write(
                to: settings, atomically: true, encoding: .utf8)
            let database = "sqlite:" + folder.appendingPathComponent("never.sqlite3").path
            let cases: [(arguments: [String], names: [String])] = [
                (["--settings", settings.path], ["api_root", "api.bind", "api.port", "content_path_prefix"]),
                (["--port", "70000"], ["--port"]),
                (["--port", "-1"], ["--port"]),
                (["--api-root", "pulp/"], ["--api-root"]),
                (["--api-root", "/a b/"], ["--api-root"]),
                (["--bind", ""], ["--bind"]),
            ]
            for (arguments, names) in cases {
                let status = try await ServeProcess.with(["serve", "--database", database] + arguments) { serve in
                    let status = try await serve.exitStatus()
                    for name in names { #expect(serve.errors.contains(name), "\(arguments): \(serve.errors)") }
                    return status
                }
                #expect(status == 2, "\(arguments)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("never.sqlite3").path))
        }
    }
}
