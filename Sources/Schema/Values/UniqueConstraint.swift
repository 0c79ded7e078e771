/// A unique constraint over one or more columns.
///
/// Without a name, the constraint is named `<table>_<columns>_key` like PostgreSQL names it.
/// A unique *index* (``Index`` with ``Index/isUnique``) enforces the same rule but is not a
/// constraint: foreign keys cannot use it on every engine, and it may be partial.
public struct UniqueConstraint: Sendable, Hashable, Codable {
    /// The constraint's name; nil for the default name.
    public var name: String?
    /// The columns whose combined values must be unique.
    public var columns: [String]

    /// Creates a unique constraint over `columns`.
    public init(_ columns: [String], name: String? = nil) {
        precondition(!columns.isEmpty, "a unique constraint needs a column")
        self.name = name
        self.columns = columns
    }
}
