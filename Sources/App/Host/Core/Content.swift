import Foundation
import TandemORM

/// A unit of content (pulpcore's `Content`): the master of every plugin's content types, table
/// `core_content`.
public struct Content: MasterModel, Equatable {
    /// `core_content`.
    public static let tableName = "core_content"
    /// `core`.
    public static let appLabel = "core"
    /// `content`.
    public static let typeName = "content"

    /// The primary key.
    public var pulpID: UUID
    /// The row's most derived type; set on insert.
    public var pulpType = ""
    /// When the row was created.
    public var pulpCreated: Date
    /// When the row was last changed, if ever.
    public var pulpLastUpdated: Date?
    /// The content this one was copied from in another domain, if any.
    public var upstreamID: UUID?
    /// When the content was last touched by a sync or an upload, for orphan clean-up.
    public var timestampOfInterest: Date

    /// New content, touched now.
    public init(pulpID: UUID = UUID(), pulpCreated: Date = Date(), upstreamID: UUID? = nil) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.upstreamID = upstreamID
        self.timestampOfInterest = pulpCreated
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", upstreamID = "upstream_id"
        case timestampOfInterest = "timestamp_of_interest"
    }
}
