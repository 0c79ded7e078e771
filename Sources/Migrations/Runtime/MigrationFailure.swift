import TandemDatabase

/// A migration step failed at run time: exit code 1.
///
/// The step's transaction was rolled back. When the step had statements PostgreSQL runs outside
/// a transaction (`CONCURRENTLY` index builds, constraint validations), what they left was
/// cleaned up, and the operations an earlier transaction of the step had committed were undone
/// through their inverses; ``leftApplied`` names whatever could not be, and is empty when the
/// database is as it was before the step. The ledger row is written only by the step's last
/// transaction, so the migration stays pending either way.
public struct MigrationFailure: Error, Sendable, CustomStringConvertible {
    /// The migration.
    public let migration: MigrationID
    /// Its file.
    public let path: String
    /// Apply or undo.
    public let direction: PlannedStep.Direction
    /// The failing operation's line in the file.
    public let line: Int
    /// The failing operation's summary.
    public let operation: String
    /// The database's error, with the statement and the server's message.
    public let underlying: any Error
    /// What stays applied because it could not be undone; empty when nothing does.
    public let leftApplied: [String]
    /// The step's lock attempts and waits up to the failure: after a lock timeout, the attempts
    /// made within ``MigrationSettings/ddlRetryFor``.
    public let lockWaits: LockWaits

    /// Creates a failure.
    public init(
        migration: MigrationID, path: String, direction: PlannedStep.Direction, line: Int, operation: String,
        underlying: any Error, leftApplied: [String], lockWaits: LockWaits = LockWaits()
    ) {
        self.migration = migration
        self.path = path
        self.direction = direction
        self.line = line
        self.operation = operation
        self.underlying = underlying
        self.leftApplied = leftApplied
        self.lockWaits = lockWaits
    }

    /// What failed, where, the server's message and statement, and what was rolled back.
    public var description: String {
        let verb = direction == .apply ? "applying" : "undoing"
        var text = "\(verb) \(migration) failed at \(path):\(line) (\(operation)): \(underlying)"
        if (underlying as? DatabaseError)?.isLockContention == true {
            text +=
                "\nGave up waiting for a table lock after \(lockWaits.attempts) attempt(s), \(MigrationLock.describe(lockWaits.waited)) in all: "
                + "a long transaction holds the table. End it, or allow more time with --ddl-retry-for."
            if !lockWaits.holders.isEmpty {
                text +=
                    "\nSessions holding locks on the migration's tables when it gave up:\n"
                    + lockWaits.holders.map { "  " + $0.description }.joined(separator: "\n")
            }
        }
        if leftApplied.isEmpty {
            text +=
                "\nNothing of \(migration) is applied: it was rolled back and stays "
                + (direction == .apply ? "pending." : "applied.")
        } else {
            text +=
                "\nThese steps could not be rolled back and stay applied:\n"
                + leftApplied.map { "  " + $0 }.joined(separator: "\n")
            if direction == .apply {
                text +=
                    "\n\(migration) stays pending, applied in part (`tandem status` shows how far); once the cause is "
                    + "fixed, the next `tandem migrate` resumes after what stays applied."
            }
        }
        return text
    }
}
