/// A run stopped on request (Ctrl-C, SIGTERM) at a safe point: between two migrations, or
/// between two operations of one whose statements do not share one transaction (PostgreSQL's
/// `CONCURRENTLY` builds and validations, backfills). Exit code 1. What was committed stays and
/// is recorded (``MigrationProgress``); the next run goes on from there.
public struct MigrationInterrupted: Error, Sendable, CustomStringConvertible {
    /// The migrations this run applied or undid whole before it stopped.
    public let done: [MigrationID]
    /// The migration it did not start, or did not finish.
    public let next: MigrationID
    /// When the run stopped inside `next`: the file line of the operation it did not start.
    public let within: Int?

    /// Creates the error.
    public init(done: [MigrationID], next: MigrationID, within: Int? = nil) {
        self.done = done
        self.next = next
        self.within = within
    }

    /// What was done and where the next run starts.
    public var description: String {
        let place =
            within.map { "inside \(next), before its operation at line \($0) (what came before it is applied)" }
            ?? "before \(next)"
        return "interrupted \(place), after \(done.count) whole migration(s)"
            + (done.isEmpty ? "" : " (\(done.map(\.description).joined(separator: ", ")))")
            + "; the next `tandem migrate` goes on from there"
    }
}
