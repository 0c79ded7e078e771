/// One row of a result: column names and values, in select order.
///
/// Rows of one result share their column-name array, so a row costs its values only.
public struct Row: Sendable, Hashable {
    /// Column names, in select order.
    public let columns: [String]
    /// Values, in the same order as ``columns``.
    public let values: [DatabaseValue]

    /// Creates a row; `columns` and `values` must have the same count.
    public init(columns: [String], values: [DatabaseValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The value at a column position.
    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of the first column with this name, or nil when there is no such column.
    public subscript(column: String) -> DatabaseValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// Converts the value of a named column, throwing a ``DatabaseError`` that names the column
    /// when it is missing or holds a value of another type.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, _ column: String) throws -> T {
        guard let index = columns.firstIndex(of: column) else {
            throw DatabaseError.decoding("no column \(column) in row (\(columns.joined(separator: ", ")))")
        }
        return try decode(type, at: index)
    }

    /// Converts the value at a column position. The error names the column and the kind of
    /// value it holds, never the value.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard let value = T.fromDatabaseValue(values[index]) else {
            throw DatabaseError.decoding("column \(columns[index]) holds \(values[index].kindName), not \(T.self)")
        }
        return value
    }
}
