/// A database schema: its tables, as plain values.
///
/// Read one from a live database with ``TandemDatabase/Connection/introspectSchema()``, render
/// one with ``DDL/createSchema(_:)``, and compare two with ``differences(from:)``:
///
/// ```swift
/// let live = try connection.introspectSchema()
/// for difference in live.differences(from: expected) { print(difference) }
/// ```
///
/// Two schemas are equal when they hold equal tables, in any order.
///
/// ## Topics
/// - ``Table``
/// - ``DDL``
/// - ``SchemaDifference``
public struct Schema: Sendable, Codable {
    /// The tables, in the order they were given (introspection gives them by name).
    public var tables: [Table]

    /// Creates a schema.
    public init(tables: [Table] = []) {
        self.tables = tables
    }

    /// The table with this name, if any.
    public func table(named name: String) -> Table? {
        tables.first { $0.name == name }
    }
}

extension Schema: Hashable {
    /// Whether both schemas hold the same tables, in any order.
    public static func == (lhs: Schema, rhs: Schema) -> Bool {
        lhs.tables.sorted { $0.name < $1.name } == rhs.tables.sorted { $0.name < $1.name }
    }

    /// Hashes the tables in name order, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(tables.sorted { $0.name < $1.name })
    }
}
