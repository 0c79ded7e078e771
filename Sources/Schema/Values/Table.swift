/// A table: columns, primary key, constraints and indexes, as a plain value.
///
/// ```swift
/// let remote = Table(
///     "core_remote",
///     columns: [.identity("id"), Column("name", .text, nullable: false)],
///     primaryKey: ["id"],
///     unique: [UniqueConstraint(["name"])])
/// let statements = DDL(.postgres).createTable(remote)
/// ```
///
/// Two tables are equal when their ``normalized`` forms are: unnamed constraints and indexes
/// compare by their default names, order among constraints does not matter, and checks and
/// predicates compare as ``SchemaExpression`` values.
///
/// ## Topics
/// - ``Column``
/// - ``ForeignKey``
/// - ``UniqueConstraint``
/// - ``CheckConstraint``
/// - ``Index``
public struct Table: Sendable, Codable {
    /// The table's name, unquoted.
    public var name: String
    /// The columns, in table order.
    public var columns: [Column]
    /// The primary key's columns, in key order; empty for a table without one.
    public var primaryKey: [String]
    /// The foreign keys.
    public var foreignKeys: [ForeignKey]
    /// The unique constraints.
    public var uniqueConstraints: [UniqueConstraint]
    /// The check constraints.
    public var checkConstraints: [CheckConstraint]
    /// The indexes, other than those the database makes for the primary key and unique constraints.
    public var indexes: [Index]

    /// Creates a table.
    public init(
        _ name: String, columns: [Column], primaryKey: [String] = [], foreignKeys: [ForeignKey] = [],
        unique uniqueConstraints: [UniqueConstraint] = [], checks checkConstraints: [CheckConstraint] = [],
        indexes: [Index] = []
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.uniqueConstraints = uniqueConstraints
        self.checkConstraints = checkConstraints
        self.indexes = indexes
    }

    /// The column with this name, if any.
    public func column(named name: String) -> Column? {
        columns.first { $0.name == name }
    }
}
