import Foundation
import TandemApp
import TandemDatabase
import TandemFile
import TandemMigrations
import TandemORM
import TandemTesting
import Testing
import Yams

/// The example application, migrated with its plugins' bundled migrations.
private func withMigratedApplication(
    _ kind: TestDatabaseKind, _ body: (Application, Database) async throws -> Void
) async throws {
    let application = try Application(plugins: [CorePlugin(), FilePlugin()])
    try await withTestDatabase(kind) { database in
        let report = try Migrator(database: database, migrations: try application.loadMigrations().set).migrate()
        #expect(report.runs.count == 6)
        try await body(application, database)
    }
}

/// A core release the file plugin was not written for.
private struct FutureCore: Plugin {
    let label = "core"
    let name = "Tandem core"
    let version: SemanticVersion = "2.0.0"
}

private let created = Date(timeIntervalSince1970: 1_760_000_000.25)
private let digest = String(repeating: "ab", count: 32)

@Suite("The file plugin's models, over core's masters")
struct FilePluginModelTests {
    @Test("the plugin declares itself through the public API")
    func declaration() throws {
        let plugin = FilePlugin()
        #expect(plugin.label == "file")
        #expect(plugin.requires == ["core": .compatible(with: "1.0.0")])
        let settings = try #require(try Yams.load(yaml: plugin.defaultSettingsYAML) as? [String: Any])
        #expect(settings.keys.sorted() == ["file"])
        #expect((settings["file"] as? [String: Any])?["max_manifest_size"] as? Int == 10_485_760)
        #expect(FilePlugin.maxManifestSizeRange.contains(10_485_760))
        let application = try Application(plugins: [CorePlugin(), plugin])
        let (set, warnings) = try application.loadMigrations()
        #expect(
            set.migrations.map(\.id.description) == [
                "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                "core/0005_repository_versions",
                "file/0001_initial",
            ])
        #expect(warnings.isEmpty)
        let summary = application.summaries(migrations: set)[1]
        #expect(summary.models.map(\.pulpType) == ["file.file", "file.file", "file.file"])
        #expect(summary.models.map(\.master) == ["core_remote", "core_repository", "core_content"])
        #expect(application.models.detailType(of: Content.self, pulpType: "file.file") == FileContent.self)
    }

    @Test("without core, or with a core out of range, the file plugin is refused")
    func needsCore() {
        let missing = #expect(throws: ApplicationError.self) { _ = try Application(plugins: [FilePlugin()]) }
        #expect(
            missing?.problems == [
                .missingRequirement(
                    plugin: "file (Tandem File 1.0.0)", requires: "core", range: .compatible(with: "1.0.0"))
            ])
        let future = #expect(throws: ApplicationError.self) {
            _ = try Application(plugins: [FutureCore(), FilePlugin()])
        }
        #expect(
            future?.problems == [
                .versionOutOfRange(
                    plugin: "file (Tandem File 1.0.0)", requires: "core", range: .compatible(with: "1.0.0"),
                    found: "2.0.0")
            ])
    }

    @Test("a file remote round-trips and casts from core's Remote master", arguments: TestDatabaseKind.engines)
    func remotes(_ kind: TestDatabaseKind) async throws {
        try await withMigratedApplication(kind) { application, database in
            var file = FileRemote(
                parent: Remote(
                    name: "isos", url: "https://example.com/isos/PULP_MANIFEST", pulpCreated: created,
                    downloadConcurrency: 3))
            try await file.create(on: database)
            #expect(file.pulpType == "file.file")
            var plain = Remote(name: "plain", url: "https://example.com/", pulpCreated: created)
            try await plain.create(on: database)

            #expect(try await FileRemote.find(file.pulpID, on: database) == file)
            let masters = try await Remote.query(on: database).all().sorted { $0.name < $1.name }
            #expect(masters.map(\.pulpType) == ["file.file", "core.remote"])
            let cast = try await Remote.cast(masters, on: database, registry: application.models)
            #expect(cast[0] as? FileRemote == file)
            #expect(cast[1] as? Remote == plain)
            #expect(try await FileRemote.query(on: database).count() == 1)

            try await file.master.delete(on: database)
            #expect(try await FileRemote.query(on: database).count() == 0, "the detail row goes with its master")
        }
    }

    @Test(
        "a file repository round-trips, lists through core's Repository and validates",
        arguments: TestDatabaseKind.engines)
    func repositories(_ kind: TestDatabaseKind) async throws {
        try await withMigratedApplication(kind) { application, database in
            var repository = FileRepository(
                parent: Repository(name: "files", pulpCreated: created, description: "ISO images"), autopublish: true)
            try await repository.create(on: database)
            let found = try #require(try await FileRepository.find(repository.pulpID, on: database))
            #expect(found == repository)
            #expect(found.manifest == "PULP_MANIFEST" && found.autopublish)
            var changed = found
            changed.manifest = nil
            changed.retainRepoVersions = 2
            try await changed.update(on: database)
            #expect(try await FileRepository.find(repository.pulpID, on: database) == changed)
            let master = try #require(try await Repository.query(on: database).first())
            #expect(try await master.cast(on: database, registry: application.models) as? FileRepository == changed)

            var invalid = FileRepository(parent: Repository(name: "bad"), manifest: "../etc/passwd")
            await #expect(throws: ValidationErrors.self) { try await invalid.create(on: database) }
            #expect(try await Repository.query(on: database).count() == 1, "nothing half-written")
        }
    }

    @Test(
        "file content round-trips; (relative_path, digest) is unique; bad paths and digests are refused",
        arguments: TestDatabaseKind.engines)
    func content(_ kind: TestDatabaseKind) async throws {
        try await withMigratedApplication(kind) { application, database in
            var first = FileContent(parent: Content(pulpCreated: created), relativePath: "isos/a.iso", digest: digest)
            try await first.create(on: database)
            var second = FileContent(parent: Content(pulpCreated: created), relativePath: "isos/b.iso", digest: digest)
            try await second.create(on: database)
            #expect(try await FileContent.find(first.pulpID, on: database) == first)
            let byPath = try await FileContent.query(on: database).filter(Column("relative_path") == "isos/b.iso").all()
            #expect(byPath == [second])
            let masters = try await Content.query(on: database).all()
            let cast = try await Content.cast(masters, on: database, registry: application.models)
            #expect(Set(cast.compactMap { ($0 as? FileContent)?.relativePath }) == ["isos/a.iso", "isos/b.iso"])

            var again = FileContent(parent: Content(pulpCreated: created), relativePath: "isos/a.iso", digest: digest)
            let error = await #expect(throws: DatabaseError.self) { try await again.create(on: database) }
            #expect(error?.isUniqueViolation == true)
            #expect(
                try await Content.query(on: database).count() == 2, "the master row of a refused detail is rolled back")

            for (path, sum) in [
                ("", digest), ("/abs", digest), ("a/../b", digest), ("a//b", digest), ("ok", "AB"),
                ("ok", String(repeating: "AB", count: 32)), ("ok", String(repeating: "g", count: 64)),
            ] {
                var invalid = FileContent(relativePath: path, digest: sum)
                await #expect(throws: ValidationErrors.self, "\(path) \(sum)") {
                    try await invalid.create(on: database)
                }
            }
            #expect(try await Content.query(on: database).count() == 2)
        }
    }
}
