/// Why the ORM cannot read or write a model type: the type's definition is at fault, not the
/// database or the value. Thrown by the type's first statement, and by
/// ``ModelRegistry/register(_:)`` (inside ``ModelRegistryError/invalidDefinition(_:)``), so a plugin
/// whose models are wrong fails when it loads, with a message naming the type, instead of
/// taking the process down.
public enum ModelDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A plain `Decodable` model whose columns cannot be found by running its `init(from:)` with
    /// stand-in values (a field type that validates what it decodes): mark it `@Columns`.
    case unreadableColumns(type: String, reason: String)
    /// ``Model/tableColumns`` lists the columns of another number of tables than
    /// ``Model/tableChain`` has.
    case columnListMismatch(type: String, tables: Int, columnLists: Int)
    /// Two levels of a detail type read a column of the same name from their tables, as a detail
    /// field named like a field of its master: one name in the statements and in the API cannot
    /// mean both. Django refuses it too ("clashes with field of the same name from base class").
    case repeatedColumn(type: String, column: String, tables: [String])

    /// A message naming the type and what is wrong with it.
    public var description: String {
        switch self {
        case .unreadableColumns(let type, let reason):
            "cannot find the columns of \(type) from its Decodable conformance (\(reason)): mark it @Columns"
        case .columnListMismatch(let type, let tables, let columnLists):
            "\(type).tableColumns lists \(columnLists) tables' columns, but its tableChain has \(tables) tables"
        case .repeatedColumn(let type, let column, let tables):
            "\(type) reads a column \(column) from each of the tables \(tables.joined(separator: ", ")): "
                + "a detail's field cannot repeat the name of a field of a level above it; rename one"
        }
    }
}
