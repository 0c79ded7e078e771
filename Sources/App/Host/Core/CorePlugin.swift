import Foundation
import TandemMigrations
import TandemORM

/// pulpcore's part of the application: the master models other plugins extend (``Remote``,
/// ``Repository``, ``Content``, ``Distribution``, ``ContentGuard``) and their migrations,
/// component `core`.
public struct CorePlugin: Plugin {
    /// The core plugin of this build.
    public init() {}

    /// `core`.
    public let label = "core"
    /// `Tandem core`.
    public let name = "Tandem core"
    /// The release of the core plugin: the release of its latest migration.
    public let version: SemanticVersion = "1.0.0"

    /// The masters, and the repository versions and their content, so no other plugin can claim
    /// their tables.
    public var models: [any Model.Type] {
        [
            Remote.self, Repository.self, Content.self, Distribution.self, ContentGuard.self, RepositoryVersion.self,
            RepositoryContent.self,
        ]
    }

    /// The `migrations` folder in this module's resources, holding `core/`.
    public var migrationsDirectory: URL? { Bundle.module.url(forResource: "migrations", withExtension: nil) }
}
