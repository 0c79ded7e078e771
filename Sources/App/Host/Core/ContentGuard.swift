import Foundation
import TandemORM

/// What protects a distribution's content (pulpcore's `ContentGuard`): the master of every
/// plugin's guards, table `core_contentguard`.
public struct ContentGuard: MasterModel, Equatable {
    /// `core_contentguard`.
    public static let tableName = "core_contentguard"
    /// `core`.
    public static let appLabel = "core"
    /// `contentguard`.
    public static let typeName = "contentguard"

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

    /// A guard with a name.
    public init(name: String, pulpID: UUID = UUID(), pulpCreated: Date = Date(), description: String? = nil) {
        self.pulpID = pulpID
        self.pulpCreated = pulpCreated
        self.name = name
        self.description = description
    }

    /// Column names.
    public enum CodingKeys: String, CodingKey {
        case pulpID = "pulp_id", pulpType = "pulp_type", pulpCreated = "pulp_created"
        case pulpLastUpdated = "pulp_last_updated", name, description
    }

    /// A name.
    public func validate(_ errors: inout ValidationErrors) {
        if name.isEmpty { errors.add("must not be empty", field: "name") }
    }
}
