/// How a step fared with its locks: how many attempts its statements took and how long it
/// waited for locks in all. `tandem migrate` prints it per step, so an operator sees a blocked
/// migration instead of guessing.
public struct LockWaits: Sendable, Hashable {
    /// Attempts: one, plus one for each retry after a lock timeout or a lost deadlock.
    public var attempts: Int
    /// The time spent in attempts that gave up waiting for a lock and in the pauses after them.
    public var waited: Duration
    /// After the last attempt gave up, the sessions that held locks on the step's tables
    /// (PostgreSQL; empty otherwise).
    public var holders: [LockHolder]

    /// Creates a record; by default one attempt that waited for nothing.
    public init(attempts: Int = 1, waited: Duration = .zero, holders: [LockHolder] = []) {
        self.attempts = attempts
        self.waited = waited
        self.holders = holders
    }

    /// Whether any statement had to wait for a lock.
    public var hadToWait: Bool { attempts > 1 }
}

/// One step a run did, with its lock waits.
public struct StepRun: Sendable, Hashable {
    /// The step.
    public let step: PlannedStep
    /// Its lock attempts and waits.
    public let locks: LockWaits
    /// How long it took, waits included.
    public let duration: Duration

    /// Creates a record.
    public init(step: PlannedStep, locks: LockWaits, duration: Duration) {
        self.step = step
        self.locks = locks
        self.duration = duration
    }
}
