import Foundation
import Synchronization
import Testing

@testable import TandemDatabase

/// A connection's thread runs what it is given in order, lets go of what its queue held, and
/// tells callers whether its recent bodies were short enough to wait awake for. Engine-independent
/// by nature: this is the database layer's thread, not a database.
@Suite("A connection's thread runs its queue in order and keeps track of body lengths")
struct ConnectionThreadQueueTests {
    /// Jobs from several submitting threads run one at a time, each submitter's in its order,
    /// and every job the queue held is released once it ran.
    @Test func jobsRunInOrderOneAtATimeAndAreReleasedAfterwards() throws {
        let thread = ConnectionThread(name: "tandem-test")
        let submitters = 4, perSubmitter = 500
        let ran = Mutex<[[Int]]>(Array(repeating: [], count: submitters))
        let running = Atomic<Int>(0), overlapped = Atomic<Bool>(false)
        let released = Tally()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.concurrentPerform(iterations: submitters) { submitter in
            for index in 0..<perSubmitter {
                let token = ReleaseCounter(released)
                thread.submit {
                    withExtendedLifetime(token) {
                        if running.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue != 0 {
                            overlapped.store(true, ordering: .relaxed)
                        }
                        ran.withLock { $0[submitter].append(index) }
                        running.wrappingSubtract(1, ordering: .acquiringAndReleasing)
                    }
                    done.signal()
                }
            }
        }
        for _ in 0..<(submitters * perSubmitter) {
            #expect(done.wait(timeout: .now() + 10) == .success)
        }
        let order = ran.withLock { $0 }
        #expect(order.allSatisfy { $0 == Array(0..<perSubmitter) }, "a submitter's jobs ran out of order")
        let jobsOverlapped = overlapped.load(ordering: .relaxed)
        #expect(!jobsOverlapped, "two jobs ran at once")
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while released.count.load(ordering: .acquiring) < submitters * perSubmitter, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(released.count.load(ordering: .acquiring) == submitters * perSubmitter, "the queue kept jobs that ran")
    }

    /// Callers wait awake only for short bodies: slow bodies turn that off, short ones back on.
    @Test func slowBodiesTurnWaitingAwakeOffAndShortOnesBackOn() throws {
        let thread = ConnectionThread(name: "tandem-test")
        #expect(thread.recentBodiesAreShort)
        let slow = ConnectionThread.shortBody * 20
        for _ in 0..<8 {
            try Self.run(on: thread) { Thread.sleep(forTimeInterval: slow.timeInterval) }
        }
        #expect(try Self.eventually { !thread.recentBodiesAreShort }, "slow bodies left waiting awake on")
        for _ in 0..<40 {
            try Self.run(on: thread) {}
        }
        #expect(try Self.eventually { thread.recentBodiesAreShort }, "short bodies did not turn waiting awake back on")
    }

    /// A caller waiting awake learns from its place in line that its job ran: not before it
    /// did, and without the thread holding the job.
    @Test func aJobsPlaceInLineShowsWhenItRan() throws {
        let thread = ConnectionThread(name: "tandem-test")
        let gate = DispatchSemaphore(value: 0)
        let first = SignallingJob { gate.wait() }, second = SignallingJob {}
        let firstTicket = thread.submit(unretained: first)
        let secondTicket = thread.submit(unretained: second)
        #expect(secondTicket > firstTicket)
        let finished = thread.finishedJobs
        #expect(!finished.include(firstTicket) && !finished.include(secondTicket), "a job counted before it ran")
        gate.signal()
        #expect(try Self.eventually { finished.include(secondTicket) })
        #expect(finished.include(firstTicket))
        #expect(first.ran.load(ordering: .acquiring) && second.ran.load(ordering: .acquiring))
        withExtendedLifetime((first, second)) {}
    }

    /// Runs `body` on `thread` and waits for it.
    static func run(on thread: ConnectionThread, _ body: @escaping @Sendable () -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        thread.submit {
            body()
            done.signal()
        }
        try #require(done.wait(timeout: .now() + 10) == .success)
    }

    /// Whether `condition` holds within a few seconds: the thread measures a body after its caller
    /// went on.
    static func eventually(_ condition: () -> Bool) throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while !condition(), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
        return condition()
    }
}

/// A job that notes that it ran.
private final class SignallingJob: ConnectionThread.Job, @unchecked Sendable {
    let ran = Atomic<Bool>(false)
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        super.init(callerWaitsAwake: false, callerCPU: nil)
    }

    override func run() {
        body()
        ran.store(true, ordering: .releasing)
    }
}

/// A count that threads share.
private final class Tally: Sendable {
    let count = Atomic<Int>(0)
}

/// Counts itself in a tally when it is released.
private final class ReleaseCounter: Sendable {
    private let tally: Tally

    init(_ tally: Tally) {
        self.tally = tally
    }

    deinit {
        tally.count.add(1, ordering: .releasing)
    }
}

/// Values that threads on several CPUs write sit alone on their cache lines.
@Suite("A cache-line atomic keeps its value to itself")
struct CacheLineAtomicTests {
    @Test func eachValueOwnsAlignedLinesAndCountsConcurrentUpdates() {
        let values = (0..<8).map { _ in CacheLineAtomic(0) }
        let addresses = values.map { value in
            value.withAtomic { atomic in withUnsafePointer(to: atomic) { UInt(bitPattern: $0) } }
        }
        #expect(addresses.allSatisfy { $0 % 128 == 0 }, "a value is not aligned to its own lines")
        let sorted = addresses.sorted()
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 >= 128 }, "two values share lines")

        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<10_000 {
                for value in values { value.withAtomic { _ = $0.wrappingAdd(1, ordering: .relaxed) } }
            }
        }
        #expect(values.allSatisfy { $0.withAtomic { $0.load(ordering: .relaxed) } == 40_000 })
    }
}
