import Foundation
import TandemApp
import TandemDatabase
import TandemMigrations
import TandemORM
import TandemTesting
import Testing

@Suite("The core plugin: its masters and bundled migrations")
struct CorePluginTests {
    @Test(
        "its migrations ship as resources, under the ledger names core/0001_initial, core/0002_distributions, core/0003_tasks, core/0004_users, core/0005_repository_versions"
    )
    func bundledMigrations() throws {
        let plugin = CorePlugin()
        let folder = try #require(plugin.migrationsFolder)
        #expect(folder.lastPathComponent == "core")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("0001_initial.yaml").path))
        let application = try Application(plugins: [plugin])
        let (set, warnings) = try application.loadMigrations()
        #expect(
            set.migrations.map(\.id.description) == [
                "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                "core/0005_repository_versions",
            ])
        #expect(warnings.isEmpty)
        #expect(
            application.summaries(migrations: set)[0].migrations == [
                "core/0001_initial", "core/0002_distributions", "core/0003_tasks", "core/0004_users",
                "core/0005_repository_versions",
            ])
        #expect(
            application.summaries(migrations: set)[0].models.map(\.table) == [
                "core_remote", "core_repository", "core_content", "core_distribution", "core_contentguard",
                "core_repositoryversion", "core_repositorycontent",
            ])
    }

    @Test(
        "masters round-trip after migrating with core's migrations; distributions keep unique base paths",
        arguments: TestDatabaseKind.engines)
    func mastersRoundTrip(_ kind: TestDatabaseKind) async throws {
        let application = try Application(plugins: [CorePlugin()])
        try await withTestDatabase(kind) { database in
            let report = try Migrator(database: database, migrations: try application.loadMigrations().set).migrate()
            #expect(report.runs.count == 5)
            let created = Date(timeIntervalSince1970: 1_750_000_000.5)
            var remote = Remote(
                name: "upstream", url: "https://example.com/", pulpCreated: created, policy: "on_demand",
                downloadConcurrency: 4, totalTimeout: 12.5)
            try await remote.create(on: database)
            #expect(remote.pulpType == "core.remote")
            var repository = Repository(name: "repo", pulpCreated: created, remoteID: remote.pulpID)
            try await repository.create(on: database)
            var content = Content(pulpCreated: created)
            try await content.create(on: database)

            #expect(try await Remote.find(remote.pulpID, on: database) == remote)
            #expect(try await Repository.find(repository.pulpID, on: database) == repository)
            #expect(try await Content.find(content.pulpID, on: database) == content)
            #expect(try await Repository.query(on: database).first()?.pulpType == "core.repository")
            #expect(try await Content.query(on: database).first()?.pulpType == "core.content")

            var duplicate = Remote(name: "upstream", url: "https://example.org/")
            await #expect(throws: DatabaseError.self) { try await duplicate.create(on: database) }
            var invalid = Remote(name: "", url: "ftp://x", policy: "sometimes", downloadConcurrency: 0)
            let errors = await #expect(throws: ValidationErrors.self) { try await invalid.create(on: database) }
            #expect(Set(errors?.fieldErrors.map(\.field) ?? []) == ["name", "url", "policy", "download_concurrency"])
            #expect(try await Remote.query(on: database).count() == 1)

            var guardValue = ContentGuard(name: "staff only", pulpCreated: created, description: "RBAC")
            try await guardValue.create(on: database)
            var distribution = Distribution(
                name: "isos", basePath: "pub/isos", pulpCreated: created, contentGuardID: guardValue.pulpID,
                repositoryID: repository.pulpID, remoteID: remote.pulpID)
            try await distribution.create(on: database)
            #expect(distribution.pulpType == "core.distribution")
            #expect(try await ContentGuard.find(guardValue.pulpID, on: database) == guardValue)
            #expect(try await Distribution.find(distribution.pulpID, on: database) == distribution)
            var samePath = Distribution(name: "other", basePath: "pub/isos")
            let taken = await #expect(throws: DatabaseError.self) { try await samePath.create(on: database) }
            #expect(taken?.isUniqueViolation == true)
            for path in ["", "/pub", "pub/", "pub//isos", "pub/../etc", "./pub"] {
                var invalid = Distribution(name: "bad \(path)", basePath: path)
                await #expect(throws: ValidationErrors.self, "\(path)") { try await invalid.create(on: database) }
            }
            try await guardValue.delete(on: database)
            #expect(
                try await Distribution.find(distribution.pulpID, on: database)?.contentGuardID == nil,
                "deleting the guard unprotects the distribution, it does not delete it")
            #expect(try await Distribution.query(on: database).count() == 1)
        }
    }
}
