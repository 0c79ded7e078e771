import Foundation
import TandemDatabase
import TandemTesting
import Testing

@Suite("tandem plugins, and the application's migrations without --migrations")
struct PluginsCommandTests {
    @Test("--json lists each plugin's label, name, version, requirements, models and migrations")
    func json() throws {
        let run = try TandemProcess.run(["plugins", "--json"])
        #expect(run.status == 0, "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let plugins = try #require(object["plugins"] as? [[String: Any]])
        #expect(plugins.map { $0["label"] as? String } == ["core", "file"])
        #expect(plugins.map { $0["name"] as? String } == ["Tandem core", "Tandem File"])
        #expect(plugins.map { $0["version"] as? String } == ["1.0.0", "1.0.0"])
        #expect(plugins[0]["requires"] as? [String: String] == [:])
        #expect(plugins[1]["requires"] as? [String: String] == ["core": ">=1.0.0, <2.0.0"])
        #expect(
            plugins.map { $0["migrations"] as? [String] } == [
                [
                    "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                    "core/0005_repository_versions",
                ],
                ["file/0001_initial"],
            ])
        let fileModels = try #require(plugins[1]["models"] as? [[String: String]])
        #expect(
            fileModels == [
                [
                    "name": "FileRemote", "table": "file_fileremote", "kind": "detail", "pulp_type": "file.file",
                    "master": "core_remote",
                ],
                [
                    "name": "FileRepository", "table": "file_filerepository", "kind": "detail",
                    "pulp_type": "file.file",
                    "master": "core_repository",
                ],
                [
                    "name": "FileContent", "table": "file_filecontent", "kind": "detail", "pulp_type": "file.file",
                    "master": "core_content",
                ],
            ])
        let coreModels = try #require(plugins[0]["models"] as? [[String: String]])
        #expect(
            coreModels.map { $0["pulp_type"] } == [
                "core.remote", "core.repository", "core.content", "core.distribution", "core.contentguard", nil, nil,
            ])
        #expect(coreModels.prefix(5).allSatisfy { $0["kind"] == "master" && $0["master"] == nil })
        #expect(
            coreModels.suffix(2).map { $0["table"] } == ["core_repositoryversion", "core_repositorycontent"]
                && coreModels.suffix(2).allSatisfy { $0["kind"] == "model" })
        // What each registers beyond models: its tasks and its routes outside api/v3/.
        let tasks = plugins.map { $0["tasks"] as? [String] ?? [] }
        #expect(tasks[0].contains("core.noop") && tasks[0].contains("core.general_update"))
        #expect(tasks[0].allSatisfy { $0.hasPrefix("core.") })
        #expect(tasks[1] == ["file.tasks.synchronize"])
        #expect(plugins.map { $0["routes"] as? [String] } == [[], ["GET file/health/ (open)"]])
    }

    @Test("the text form names what each plugin registers")
    func text() throws {
        let run = try TandemProcess.run(["plugins"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasPrefix("plugins: 2\n  core         1.0.0      Tandem core\n"))
        #expect(
            run.output.contains(
                "      FileContent          file_filecontent         detail of core_content  pulp_type file.file\n"))
        #expect(
            run.output.contains(
                "      migrations: file/0001_initial\n      tasks: file.tasks.synchronize\n"
                    + "      routes: GET file/health/ (open)"))
        #expect(run.errors == "")
    }

    @Test(
        "migrate and status without --migrations apply the plugins' bundled migrations, idempotently",
        arguments: TestDatabaseKind.engines)
    func migrateWithoutMigrationsFolder(_ kind: TestDatabaseKind) throws {
        let test = try TestDatabase(kind)
        defer { test.drop() }
        try withTemporaryDirectory { folder in
            let first = try TandemProcess.run(["migrate", "--database", test.url], in: folder)
            #expect(first.status == 0, "\(first)")
            #expect(
                first.steps
                    == "applied core/0001_initial (compatible)\napplied core/0002_distributions (compatible)\n"
                    + "applied core/0003_tasks (compatible)\napplied core/0004_users (compatible)\n"
                    + "applied core/0005_repository_versions (compatible)\n"
                    + "applied file/0001_initial (compatible)\n6 migration(s) applied.\n"
            )
            let again = try TandemProcess.run(["migrate", "--database", test.url], in: folder)
            #expect(again.output == "Nothing to apply: all 6 migration(s) are applied.\n", "\(again)")
            let tables = try test.database.withConnection { try $0.tableNames() }
            #expect(
                Set(tables).isSuperset(of: [
                    "core_remote", "core_repository", "core_content", "core_contentguard", "core_distribution",
                    "core_task", "core_taskgroup", "core_progressreport", "core_temporaryfile",
                    "core_temporaryfilechunk",
                    "core_user", "core_usertoken",
                    "file_fileremote", "file_filerepository",
                    "file_filecontent",
                ]))
            let status = try TandemProcess.run(["status", "--json", "--database", test.url], in: folder)
            #expect(status.status == 0, "\(status)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
            #expect((object["applied"] as? [Any])?.count == 6)
            #expect((object["pending"] as? [Any])?.count == 0)
            let plugins = try #require(object["plugins"] as? [[String: Any]])
            #expect(plugins.map { "\($0["label"] ?? "")=\($0["version"] ?? "")" } == ["core=1.0.0", "file=1.0.0"])
        }
    }

    @Test("an installed binary finds its plugins' migrations in the resource bundles next to it")
    func installedBinary() throws {
        try withTemporaryDirectory { folder in
            let bin = folder.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TandemProcess.executable, to: bin.appendingPathComponent("tandem"))
            for bundle in ["Tandem_TandemApp.resources", "Tandem_TandemFile.resources"] {
                try FileManager.default.copyItem(
                    at: TandemProcess.productsDirectory.appendingPathComponent(bundle),
                    to: bin.appendingPathComponent(bundle))
            }
            // A migration only the installed copy has shows which bundle the binary reads.
            try Data(
                "release: \"1.0.1\"\nphase: compatible\noperations:\n  - sql: {up: \"SELECT 1\", down: \"SELECT 1\", phase: compatible}\n"
                    .utf8
            ).write(
                to: bin.appendingPathComponent("Tandem_TandemApp.resources/migrations/core/0099_installed.yaml"))
            let run = try TandemProcess.run(
                ["plugins", "--json"], binary: bin.appendingPathComponent("tandem"), in: folder)
            #expect(run.status == 0, "\(run)")
            #expect(run.output.contains("\"core/0099_installed\""), "\(run)")
            #expect(run.output.contains("\"file/0001_initial\""))
        }
    }
}
