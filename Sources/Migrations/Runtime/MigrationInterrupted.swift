/// A run stopped on request (Ctrl-C) between two migrations: exit code 1. The migrations before
/// were applied whole; the next run goes on with the rest.
public struct MigrationInterrupted: Error, Sendable, CustomStringConvertible {
    /// The migrations this run applied or undid before it stopped.
    public let done: [MigrationID]
    /// The migration it did not start.
    public let next: MigrationID

    /// Creates the error.
    public init(done: [MigrationID], next: MigrationID) {
        self.done = done
        self.next = next
    }

    /// What was done and where the next run starts.
    public var description: String {
        "interrupted before \(next), after \(done.count) migration(s)"
            + (done.isEmpty ? "" : " (\(done.map(\.description).joined(separator: ", ")))")
            + "; the next `tandem migrate` goes on from \(next)"
    }
}
