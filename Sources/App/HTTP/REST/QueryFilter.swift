import TandemDatabase
import TandemORM

/// A list filter computed from its value rather than a column comparison: the value is looked up
/// (an href resolved, a set of ids read) and becomes a condition. Pulp's content lists filter by
/// `repository_version` this way.
///
/// ```swift
/// var files = ViewSet<FileContent>("content/file/files", readOnly: true)
/// files.queryFilters = QueryFilter.repositoryVersionFilters
/// ```
public struct QueryFilter: Sendable {
    /// Builds the condition for a parameter's value; throws ``APIError`` (400) for a bad value.
    public typealias Condition = @Sendable (_ value: String, _ database: Database) async throws -> SQLExpression

    /// The query parameter.
    public let name: String
    /// What it selects, for the API document.
    public let description: String
    /// The condition for a value.
    public let condition: Condition

    /// A filter on the parameter `name`.
    public init(_ name: String, description: String, condition: @escaping Condition) {
        self.name = name
        self.description = description
        self.condition = condition
    }
}
