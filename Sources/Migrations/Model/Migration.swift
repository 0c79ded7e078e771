/// One migration file, parsed and checked: `migrations/<component>/<NNNN>_<name>.yaml`.
public struct Migration: Sendable, Hashable {
    /// Which file this is.
    public let id: MigrationID
    /// The file's path, as given to the loader (for messages).
    public let path: String
    /// The component release that ships this migration.
    public let release: SemanticVersion
    /// Compatible or breaking.
    public let phase: Phase
    /// Migrations that must be applied first: the previous file of the same component is implied
    /// and included here.
    public let dependsOn: [MigrationID]
    /// Breaking only: every live component must run at least these versions (component → version).
    public let requires: [String: SemanticVersion]
    /// The operations, in order.
    public let operations: [LocatedOperation]
    /// The SHA-256 of the file's bytes, hex; the ledger refuses a changed applied file.
    public let checksum: String

    /// Creates a migration; the loader builds these.
    public init(
        id: MigrationID, path: String, release: SemanticVersion, phase: Phase, dependsOn: [MigrationID],
        requires: [String: SemanticVersion], operations: [LocatedOperation], checksum: String
    ) {
        self.id = id
        self.path = path
        self.release = release
        self.phase = phase
        self.dependsOn = dependsOn
        self.requires = requires
        self.operations = operations
        self.checksum = checksum
    }
}
