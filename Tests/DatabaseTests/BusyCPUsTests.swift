import Foundation
import Synchronization
import Testing

@testable import TandemDatabase

/// Waiting awake stops for a while once a waiter finds the CPUs busy with other work, and comes
/// back. Engine-independent by nature: these are the database layer's threads, not a database.
@Suite("Waiting awake backs off while the CPUs are busy")
struct BusyCPUsTests {
    /// A waiter that loses its CPU between two looks (here: its condition sleeps) gives up at
    /// once, and every waiter sharing what it learnt sleeps at once until the back-off ends.
    @Test func aWaiterThatLosesItsCPUStopsEveryWaiterFromWaitingAwake() throws {
        // A back-off long enough that the checks below run within it on a loaded machine.
        let busy = BusyCPUs(backOff: .seconds(1), longestBackOff: .seconds(4), memory: .seconds(10))
        let waiter = SpinWait(busyCPUs: busy, reportsBusyCPUs: true, preemptionGap: .milliseconds(1))
        let other = SpinWait(busyCPUs: busy, reportsBusyCPUs: false, preemptionGap: .milliseconds(1))
        let start = ContinuousClock.now
        #expect(!waiter.until(Self.neverMetLosingTheCPUOnItsSecondLook(), within: .seconds(5)))
        #expect(ContinuousClock.now - start < .seconds(1), "the waiter went on waiting awake after losing its CPU")
        #expect(!busy.waitingAwakePays())

        var otherLooks = 0
        let otherFound = other.until(
            {
                otherLooks += 1
                return false
            }, within: .seconds(5))
        #expect(!otherFound)
        #expect(otherLooks == 1, "another waiter waited awake during the back-off")

        while !busy.waitingAwakePays(), ContinuousClock.now - start < .seconds(10) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(busy.waitingAwakePays(), "waiting awake never came back")
        #expect(ContinuousClock.now - start >= .seconds(1), "the back-off ended early")
    }

    /// A connection's thread that loses its CPU while it lingers stops lingering, but tells no one:
    /// it shows only that the process itself has other work on that CPU.
    @Test func aLingeringThreadThatLosesItsCPUStopsButLeavesWaitingAwakeOn() {
        let busy = BusyCPUs()
        let lingering = SpinWait(busyCPUs: busy, reportsBusyCPUs: false, preemptionGap: .milliseconds(1))
        let start = ContinuousClock.now
        #expect(!lingering.until(Self.neverMetLosingTheCPUOnItsSecondLook(), within: .seconds(5)))
        #expect(ContinuousClock.now - start < .seconds(2), "the thread went on lingering after losing its CPU")
        #expect(busy.waitingAwakePays())
    }

    /// The process's callers report busy CPUs and its connection threads do not, and both heed
    /// what the process learnt.
    @Test func callersReportBusyCPUsAndEveryWaiterHeedsThem() {
        #expect(SpinWait.callers.reportsBusyCPUs)
        #expect(!SpinWait.connectionThreads.reportsBusyCPUs)
        #expect(SpinWait.callers.busyCPUs === SpinWait.busyCPUs)
        #expect(SpinWait.connectionThreads.busyCPUs === SpinWait.busyCPUs)
    }

    /// Running out of time is no sign of busy CPUs (a connection's thread lingers in vain whenever
    /// its caller has no more work), and neither is a wait that succeeds.
    @Test func aWaitThatTimesOutOrSucceedsLeavesWaitingAwakeOn() {
        let busy = BusyCPUs()
        // A gap no test machine reaches, so that only the outcome of the wait counts.
        let waiter = SpinWait(busyCPUs: busy, reportsBusyCPUs: true, preemptionGap: .seconds(10))
        #expect(!waiter.until({ false }, within: .milliseconds(2)))
        #expect(busy.waitingAwakePays())
        var looks = 0
        let found = waiter.until(
            {
                looks += 1
                return looks == 100
            }, within: .seconds(5))
        #expect(found)
        #expect(busy.waitingAwakePays())
    }

    /// The back-off doubles while the CPUs keep being found busy, up to its longest, and starts
    /// over once they have not been for a while.
    @Test func theBackOffDoublesWhileTheCPUsStayBusyAndStartsOverLater() {
        let busy = BusyCPUs(backOff: .milliseconds(10), longestBackOff: .milliseconds(40), memory: .seconds(5))
        let t0 = ContinuousClock.now
        #expect(busy.found(at: t0) == .milliseconds(10))
        #expect(!busy.waitingAwakePays(at: t0.advanced(by: .milliseconds(9))))
        #expect(busy.waitingAwakePays(at: t0.advanced(by: .milliseconds(10))))
        #expect(busy.found(at: t0.advanced(by: .seconds(1))) == .milliseconds(20))
        #expect(busy.found(at: t0.advanced(by: .seconds(2))) == .milliseconds(40))
        #expect(busy.found(at: t0.advanced(by: .seconds(3))) == .milliseconds(40))
        #expect(!busy.waitingAwakePays(at: t0.advanced(by: .milliseconds(3039))))
        #expect(busy.waitingAwakePays(at: t0.advanced(by: .milliseconds(3040))))
        // Quiet for longer than the memory: news again.
        #expect(busy.found(at: t0.advanced(by: .seconds(9))) == .milliseconds(10))
    }

    /// A condition never met, whose second look loses the CPU for 3 ms (it sleeps): longer than
    /// the 1 ms gap the tests' waiters take for lost CPUs.
    static func neverMetLosingTheCPUOnItsSecondLook() -> () -> Bool {
        var looks = 0
        return {
            looks += 1
            if looks == 2 { Thread.sleep(forTimeInterval: 0.003) }
            return false
        }
    }
}
