import Foundation
import TandemORM

/// Where content is served (pulpcore's `Distribution`): a base path under the content app, with
/// the repository, or remote, it serves from and the guard that protects it; the master of every
/// plugin's distributions, table `core_distribution`.
public struct Distribution: MasterModel, Equatable {
    /// `core_distribution`.
    public static let tableName = "core_distribution"
    /// `core`.
    public static let appLabel = "core"
    /// `distribution`.
    public static let typeName = "distribution"

    /// The primary key.
    public var pulpID: UUID
    /// The row's most derived type; set on insert.
    public var pulpType = ""
    /// When the row was created.
    public var pulpCreated: Date
    /// When the row was last changed, if ever.
    public var pulpLastUpdated: Date?
    /// A unique name.
    public var name: String
    /// The unique path content is served under, without leading or trailing `/`.
    public var basePath: String
    /// Whether it is left out of the content app's listing.
    public var hidden: Bool
    /// The guard that protects it, if any.
    public var contentGuardID: UUID?
    /// The repository whose latest version it serves, if any.
    public var repositoryID: UUID?
    /// The remote it serves from on demand, if any.
    public var remoteID: UUID?

    /// A distribution serving nothing yet.
    public init(
        name: String, basePath: String, pulpID: UUID = UUID(), pulpCreated: Date = Date(), hidden: Bool = false,
        contentGuardID: UUID? = nil, repositoryID: UUID? = nil, remoteID: UUID? = nil
    ) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.name = name
        self.basePath = basePath
        self.hidden = hidden
        self.contentGuardID = contentGuardID
        self.repositoryID = repositoryID
        self.remoteID = remoteID
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, basePath = "base_path", hidden
        case contentGuardID = "content_guard_id", repositoryID = "repository_id", remoteID = "remote_id"
    }

    /// A name, and a base path of non-empty parts without `..`, no leading or trailing `/`.
    public func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("must not be empty", field: "name") }
        let parts = basePath.split(separator: "/", omittingEmptySubsequences: false)
        if basePath.isEmpty || parts.contains("") || parts.contains("..") || parts.contains(".") {
            errors.add("must be a relative path of non-empty parts, without . or ..", field: "base_path")
        }
    }
}
