/// A column sync found in a database by ``TandemDatabase/Connection/installedColumnSyncs()``.
///
/// The sync is read back from the marker comment its generated code carries, so it holds the
/// expressions and defaults it was installed with; ``problems`` says how the objects in the
/// database differ from what that sync generates today.
public struct InstalledColumnSync: Sendable, Hashable {
    /// The table the triggers are on; nil for a PostgreSQL function that no trigger calls and
    /// no record names.
    public let table: String?
    /// The sync as recorded at installation; nil when the objects carry no readable record
    /// (edited by hand, or made by something else with a `tandem_sync_` name).
    public let sync: ColumnSync?
    /// The names of the triggers and functions found, sorted.
    public let objects: [String]
    /// What is wrong: missing or changed objects, changed defaults. Empty when intact.
    public let problems: [String]

    /// Whether the installed triggers are exactly what the recorded sync generates.
    public var isIntact: Bool { sync != nil && problems.isEmpty }
}
