/// A check constraint: an SQL condition every row must meet.
///
/// ```swift
/// CheckConstraint("done >= 0 AND done <= total", name: "progress_in_range")
/// ```
///
/// Without a name, the constraint is named `<table>_check`, then `<table>_check1`… in table order.
/// The condition is written once for both dialects, so it should use SQL both understand.
public struct CheckConstraint: Sendable, Hashable, Codable {
    /// The constraint's name; nil for the default name.
    public var name: String?
    /// The condition.
    public var expression: SchemaExpression

    /// Creates a check constraint.
    public init(_ expression: SchemaExpression, name: String? = nil) {
        self.name = name
        self.expression = expression
    }
}
