/// What a `tandem migrate` run is asked to do.
public struct MigrationRequest: Sendable, Hashable {
    /// Also apply breaking migrations, each only while no live process fails its `requires`
    /// (`--breaking`). Without it only compatible migrations are applied.
    public var breaking: Bool
    /// Only this component's migrations, with the pending ones they depend on (`--component`).
    public var component: String?
    /// Migrate to this migration (`--to`): forwards, apply it and what it depends on; backwards
    /// (it is applied), undo what was applied after it.
    public var target: MigrationTarget?

    /// Creates a request; by default: every pending compatible migration.
    public init(breaking: Bool = false, component: String? = nil, target: MigrationTarget? = nil) {
        self.breaking = breaking
        self.component = component
        self.target = target
    }
}

/// A migration named on the command line: `core/0003` or `core/0003_tasks`.
public struct MigrationTarget: Sendable, Hashable, CustomStringConvertible {
    /// The component.
    public let component: String
    /// The file's number.
    public let number: Int
    /// The name after the number, when given; it must then match.
    public let name: String?

    /// Parses `component/NNNN` or `component/NNNN_name`; nil when malformed.
    public init?(parsing text: String) {
        if let id = MigrationID(parsing: text) {
            self.init(component: id.component, number: id.number, name: id.name)
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, MigrationID.isComponentName(String(parts[0])), parts[1].count == 4,
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(parts[1])
        else { return nil }
        self.init(component: String(parts[0]), number: number, name: nil)
    }

    /// Creates a target.
    public init(component: String, number: Int, name: String? = nil) {
        self.component = component
        self.number = number
        self.name = name
    }

    /// Whether `id` is the migration this names.
    public func matches(_ id: MigrationID) -> Bool {
        id.component == component && id.number == number && (name == nil || name == id.name)
    }

    /// As written: `core/0003` or `core/0003_tasks`.
    public var description: String {
        let digits = String(number)
        return "\(component)/\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)"
            + (name.map { "_" + $0 } ?? "")
    }
}
