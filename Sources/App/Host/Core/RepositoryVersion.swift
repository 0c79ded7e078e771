import Foundation
import TandemORM

/// A numbered, immutable state of a repository's content (pulpcore's `RepositoryVersion`), table
/// `core_repositoryversion`. Version 0 is made with the repository and holds nothing; each sync
/// or change adds the next number. A version is `complete` once all of its content is recorded:
/// only complete versions are shown or built upon.
public struct RepositoryVersion: Model, Equatable {
    /// `core_repositoryversion`.
    public static let tableName = "core_repositoryversion"

    /// The primary key.
    public var pulpID: UUID
    /// When the version was created.
    public var pulpCreated: Date
    /// When it was last changed (marked complete), if ever.
    public var pulpLastUpdated: Date?
    /// The repository it belongs to.
    public var repositoryID: UUID
    /// Its number within the repository, from 0.
    public var number: Int
    /// Whether all of its content is recorded.
    public var complete: Bool
    /// The version it was built from, if any.
    public var baseVersionID: UUID?

    /// A version of `repositoryID` numbered `number`.
    public init(
        repositoryID: UUID, number: Int, complete: Bool = false, baseVersionID: UUID? = nil, pulpID: UUID = UUID(),
        pulpCreated: Date = Date()
    ) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.repositoryID = repositoryID
        self.number = number
        self.complete = complete
        self.baseVersionID = baseVersionID
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpCreated = "pulp_created", pulpLastUpdated = "pulp_last_updated"
        case repositoryID = "repository_id", number, complete, baseVersionID = "base_version_id"
    }
}

/// A content unit's membership in a repository (pulpcore's `RepositoryContent`), table
/// `core_repositorycontent`: the unit is in every version from `version_added` up to, not
/// including, `version_removed`.
public struct RepositoryContent: Model, Equatable {
    /// `core_repositorycontent`.
    public static let tableName = "core_repositorycontent"

    /// The primary key.
    public var pulpID: UUID
    /// When the row was created.
    public var pulpCreated: Date
    /// The repository.
    public var repositoryID: UUID
    /// The content unit.
    public var contentID: UUID
    /// The version that added it.
    public var versionAddedID: UUID
    /// The version that removed it, once removed.
    public var versionRemovedID: UUID?

    /// `contentID` added to `repositoryID` by the version `versionAddedID`.
    public init(repositoryID: UUID, contentID: UUID, versionAddedID: UUID, pulpID: UUID = UUID()) {
        self.pulpID = pulpID
        self.pulpCreated = Date()
        self.repositoryID = repositoryID
        self.contentID = contentID
        self.versionAddedID = versionAddedID
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpCreated = "pulp_created", repositoryID = "repository_id"
        case contentID = "content_id", versionAddedID = "version_added_id", versionRemovedID = "version_removed_id"
    }
}
