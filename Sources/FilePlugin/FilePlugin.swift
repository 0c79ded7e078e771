import Foundation
import TandemApp
import TandemMigrations
import TandemORM

/// The file plugin: files served as they are, with a `PULP_MANIFEST` listing them (pulp_file).
/// It is written against the public API only, as a third party writes a plugin; the DocC
/// article *Writing a plugin* walks through it.
///
/// ```swift
/// let application = try Application(plugins: [CorePlugin(), FilePlugin()])
/// ```
public struct FilePlugin: Plugin {
    /// The file plugin of this build.
    public init() {}

    /// `file`: the first half of `file.file`, and the migrations component.
    public let label = "file"
    /// `Tandem File`.
    public let name = "Tandem File"
    /// The release of the plugin.
    public let version: SemanticVersion = "1.0.0"

    /// The detail models: a remote, a repository and a content type.
    public var models: [any Model.Type] { [FileRemote.self, FileRepository.self, FileContent.self] }

    /// The `migrations` folder in this module's resources, holding `file/`.
    public var migrationsDirectory: URL? { Bundle.module.url(forResource: "migrations", withExtension: nil) }

    /// The core releases whose masters these details extend.
    public var requires: [String: VersionRange] { ["core": .compatible(with: "1.0.0")] }

    /// `file.max_manifest_size`, with its default; ``maxManifestSizeRange`` is its validator.
    public var defaultSettingsYAML: String {
        """
        # The file plugin's settings.
        file:
          # The largest PULP_MANIFEST a sync reads, in bytes (1 to 1073741824).
          max_manifest_size: 10485760
        """
    }

    /// The values `file.max_manifest_size` may take, in bytes: at least one byte, at most 1 GiB,
    /// so a hostile remote cannot make a sync read an endless manifest into memory.
    public static let maxManifestSizeRange: ClosedRange<Int> = 1...1_073_741_824
}
