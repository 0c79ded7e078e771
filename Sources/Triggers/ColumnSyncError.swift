/// A column sync could not be installed, verified or prepared: a missing table or column, a
/// pair already kept in sync by other triggers, a table SQLite's triggers cannot serve.
///
/// Its message names the table and columns; the CLI reports it as bad input or a refusal,
/// depending on the command.
public struct ColumnSyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the table and columns.
    public let message: String

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
