import Synchronization

/// Remembers that the CPUs were lately found busy with other work, so that nobody waits awake
/// (see ``SpinWait``) for a while.
///
/// When other work (other processes, or other threads of this one) keeps every CPU busy, a thread
/// that waits awake takes the time slice the thread it waits for needs, and each `sched_yield()`
/// hands a whole slice to the busy threads; the kernel, which favours threads that sleep, then
/// makes both wait. On this 2-core VM with two busy processes beside it, a single-row async
/// SQLite get took 0.3–3.4 ms that way, against 13–86 µs when the threads slept. After a wait
/// shows the CPUs busy, waiting awake stays off for ``backOff``, doubled each time the CPUs are
/// found busy again within ``memory``, up to ``longestBackOff``: a machine that stays busy is
/// asked rarely (each question costs a time slice), and one that calms down is asked again within
/// seconds.
final class BusyCPUs: Sendable {
    /// How long nobody waits awake after the CPUs were found busy.
    let backOff: Duration
    /// How long nobody waits awake after the CPUs were found busy many times in a row.
    let longestBackOff: Duration
    /// Busy CPUs found this long after the last time are news: the back-off starts over.
    let memory: Duration

    private struct State {
        /// Until when waiting awake is off.
        var sleepingUntil: ContinuousClock.Instant?
        /// When the CPUs were last found busy.
        var lastFound: ContinuousClock.Instant?
        /// How many times the back-off doubled since it last started over.
        var doublings = 0
    }

    private let state = Mutex(State())
    /// Whether waiting awake is off for now: read by every call without the lock.
    private let backingOff = Atomic<Bool>(false)

    init(
        backOff: Duration = .milliseconds(10), longestBackOff: Duration = .milliseconds(1280),
        memory: Duration = .seconds(5)
    ) {
        self.backOff = backOff
        self.longestBackOff = longestBackOff
        self.memory = memory
    }

    /// Whether waiting awake may pay now: false during a back-off. Reads no clock outside one.
    func waitingAwakePays() -> Bool {
        !backingOff.load(ordering: .relaxed) || waitingAwakePays(at: .now)
    }

    /// Whether waiting awake may pay at `now`: false during a back-off.
    func waitingAwakePays(at now: ContinuousClock.Instant) -> Bool {
        guard backingOff.load(ordering: .relaxed) else { return true }
        return state.withLock { state in
            if let until = state.sleepingUntil, now < until { return false }
            state.sleepingUntil = nil
            backingOff.store(false, ordering: .relaxed)
            return true
        }
    }

    /// Records that a wait found the CPUs busy at `now`, and turns waiting awake off.
    /// - Returns: how long it stays off.
    @discardableResult
    func found(at now: ContinuousClock.Instant) -> Duration {
        state.withLock { state in
            if let last = state.lastFound, now - last < memory {
                state.doublings = min(state.doublings + 1, 16)
            } else {
                state.doublings = 0
            }
            state.lastFound = now
            let length = min(backOff * (1 << state.doublings), longestBackOff)
            state.sleepingUntil = now.advanced(by: length)
            backingOff.store(true, ordering: .relaxed)
            return length
        }
    }
}
