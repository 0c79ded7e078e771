/// Names one migration file: `core/0003_tasks` is component `core`, number 3, name `tasks`.
public struct MigrationID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The component (folder) the migration belongs to.
    public let component: String
    /// The file's number, `NNNN`.
    public let number: Int
    /// The file's name after the number.
    public let name: String

    /// Creates an identifier.
    public init(component: String, number: Int, name: String) {
        self.component = component
        self.number = number
        self.name = name
    }

    /// `component/NNNN_name`, as in `depends_on`, the ledger and messages.
    public var description: String {
        "\(component)/\(String(repeating: "0", count: max(0, 4 - String(number).count)))\(number)_\(name)"
    }

    /// Orders by component, then number.
    public static func < (left: MigrationID, right: MigrationID) -> Bool {
        (left.component, left.number) < (right.component, right.number)
    }
}
