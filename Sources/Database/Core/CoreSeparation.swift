import CScheduler

/// Keeps a connection's thread off the CPU of a caller that waits awake for it.
///
/// A caller that waits awake (see ``SpinWait``) and the connection's thread hand a small body
/// back and forth within microseconds. When Linux has put both threads on one CPU, each hand-off
/// becomes two context switches through `sched_yield()`, and the kernel does not part them: both
/// ran a moment ago, so its load balancer counts both as cache-hot and leaves them where they
/// are, for milliseconds or for good. On a 2-core VM a single-row SQLite get through the async
/// API took 10.2 µs with the two threads on one CPU, 7.3 µs apart. So before the connection's
/// thread runs such a caller's body, it checks whether it shares the caller's CPU and, if so,
/// moves itself to another (it narrows its own affinity for a moment, then gives it back, so the
/// scheduler stays free to place it later). It does so at most once per ``interval``: where the
/// other CPUs are busy, or the process may use one only, the thread stays put.
///
/// The interval is short because the kernel often puts the pair back together within a
/// millisecond of a move (after a caller slept and was woken beside the thread, say). With a
/// 2 ms interval, a pair put back so shared a CPU for the rest of it: about 70 single-row gets
/// took 29 µs each instead of 6.5, in about a third of the benchmark's slices of 1,000 gets, and
/// those slices ran at 1.4–1.8 times their synchronous time instead of 1.17. A move costs two
/// system calls, so one per 100 µs costs little even where the kernel keeps putting the pair
/// together; on a machine busy with other work callers seldom wait awake, and the interval held
/// back none of the 25–32 moves in 10,000 creates under two busy processes.
struct CoreSeparation {
    /// The shortest time between two moves.
    let interval: Duration
    private var nextAllowed: ContinuousClock.Instant?
    /// How many times the thread moved.
    private(set) var moves = 0

    init(interval: Duration = .microseconds(100)) {
        self.interval = interval
    }

    /// The CPU the calling thread runs on, or nil where the system cannot tell.
    static func currentCPU() -> Int32? {
        let cpu = tandem_current_cpu()
        return cpu >= 0 ? cpu : nil
    }

    /// Moves the calling thread off `callerCPU` if it runs there and its last move is at least
    /// ``interval`` ago.
    mutating func separate(fromCallerOn callerCPU: Int32) {
        guard tandem_current_cpu() == callerCPU else { return }
        let now = ContinuousClock.now
        if let nextAllowed, now < nextAllowed { return }
        nextAllowed = now.advanced(by: interval)
        if tandem_move_off_cpu(callerCPU) == 0 { moves += 1 }
    }
}
