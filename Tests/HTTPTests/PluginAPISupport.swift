import Foundation
import Hummingbird
import HummingbirdTesting
import TandemApp
import TandemDatabase
import TandemFile
import TandemHTTP
import TandemMigrations
import TandemTesting

/// The example application (core and file plugins), as `tandem serve` assembles it.
func makePluginApplication() throws -> TandemApp.Application {
    try TandemApp.Application(plugins: [CorePlugin(), FilePlugin()])
}

/// Runs `body` with a test client of the application's API on a fresh database of `kind`
/// migrated with the plugins' own migrations.
func withPluginAPI(
    _ kind: TestDatabaseKind, configure: @escaping @Sendable (inout API) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
) async throws {
    let application = try makePluginApplication()
    try await withTestDatabase(kind) { database in
        let set = try application.loadMigrations().set
        _ = try Migrator(database: database, migrations: set).migrate()
        var api = try API(application: application, database: database)
        configure(&api)
        let app = Hummingbird.Application(router: api.router())
        try await app.test(.router) { client in try await body(client, database) }
    }
}
