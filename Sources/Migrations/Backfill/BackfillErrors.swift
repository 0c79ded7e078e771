/// A backfill stopped on request (Ctrl-C, ``BackfillInterruption``) after finishing and
/// checkpointing its current batch: exit code 1. Nothing is half-applied; the next run resumes
/// after the last key done.
public struct BackfillInterrupted: Error, Sendable, CustomStringConvertible {
    /// How far it got.
    public let progress: BackfillProgress
    /// The JSON array of the last key done, nil when no batch was done yet.
    public let lastKey: String?

    /// Creates the error.
    public init(progress: BackfillProgress, lastKey: String?) {
        self.progress = progress
        self.lastKey = lastKey
    }

    /// What was done and that the next run resumes.
    public var description: String {
        "backfill \(progress.job) of \(progress.table) interrupted after \(progress.rowsDone) of ~\(progress.rowsTotal) rows "
            + "(\(progress.batches) batches); the checkpoint is saved in \(BackfillCheckpoint.tableName), and the next run "
            + "resumes " + (lastKey.map { "after key \($0)" } ?? "from the start")
    }
}

/// A batch failed for good: retried ``BackfillSettings/attempts`` times, or failed with an
/// error a retry cannot cure. Exit code 1. The batch was rolled back; the batches before it
/// stay done and checkpointed, and the next run resumes after them.
public struct BackfillError: Error, Sendable, CustomStringConvertible {
    /// Which backfill.
    public let job: BackfillJob
    /// The table it walks.
    public let table: String
    /// What went wrong, with the attempts made.
    public let message: String
    /// The database's error.
    public let underlying: any Error

    /// Creates the error.
    public init(job: BackfillJob, table: String, message: String, underlying: any Error) {
        self.job = job
        self.table = table
        self.message = message
        self.underlying = underlying
    }

    /// The message and the database's error.
    public var description: String {
        "backfill \(job) of \(table): \(message): \(underlying)"
    }
}
