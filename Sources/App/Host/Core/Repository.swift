import Foundation
import TandemORM

/// A collection of content with versions (pulpcore's `Repository`): the master of every plugin's
/// repositories, table `core_repository`.
public struct Repository: MasterModel, Equatable {
    /// `core_repository`.
    public static let tableName = "core_repository"
    /// `core`.
    public static let appLabel = "core"
    /// `repository`.
    public static let typeName = "repository"

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
    /// What it is for.
    public var description: String?
    /// The number its next version gets.
    public var nextVersion: Int
    /// How many versions to keep; all when nil.
    public var retainRepoVersions: Int?
    /// Whether it is hidden from lists.
    public var userHidden: Bool
    /// The remote it syncs from by default, if any.
    public var remoteID: UUID?

    /// A repository with no versions yet.
    public init(
        name: String, pulpID: UUID = UUID(), pulpCreated: Date = Date(), description: String? = nil,
        retainRepoVersions: Int? = nil, remoteID: UUID? = nil
    ) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.name = name
        self.description = description
        self.nextVersion = 0
        self.retainRepoVersions = retainRepoVersions
        self.userHidden = false
        self.remoteID = remoteID
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, description, nextVersion = "next_version"
        case retainRepoVersions = "retain_repo_versions", userHidden = "user_hidden", remoteID = "remote_id"
    }

    /// The fields the server keeps: the times, the version counter and the hidden flag.
    public static var readOnlyFields: Set<String> {
        ["pulp_created", "pulp_last_updated", "next_version", "user_hidden"]
    }

    /// A name, and a positive number of versions to keep; the messages are Django REST
    /// framework's, translatable.
    public func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add(LocalizableMessage.blank, field: "name") }
        if let retainRepoVersions, retainRepoVersions < 1 {
            errors.add(LocalizableMessage.minimum(1), field: "retain_repo_versions")
        }
    }
}
