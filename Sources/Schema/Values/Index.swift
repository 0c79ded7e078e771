/// An index over columns of a table, possibly unique, possibly partial.
///
/// ```swift
/// Index(["state", "created_at"])
/// Index(["name"], unique: true, where: "deleted_at IS NULL")
/// ```
///
/// Without a name, the index is named `<table>_<columns>_idx` like PostgreSQL names it.
public struct Index: Sendable, Hashable, Codable {
    /// The index's name; nil for the default name.
    public var name: String?
    /// The indexed columns, in order.
    public var columns: [String]
    /// Whether the index refuses duplicate keys.
    public var isUnique: Bool
    /// For a partial index, the condition of the rows it covers.
    public var predicate: SchemaExpression?

    /// Creates an index.
    public init(_ columns: [String], unique: Bool = false, where predicate: SchemaExpression? = nil, name: String? = nil) {
        precondition(!columns.isEmpty, "an index needs a column")
        self.name = name
        self.columns = columns
        self.isUnique = unique
        self.predicate = predicate
    }
}
