import CScheduler
import Foundation
import Synchronization
import Testing

@testable import TandemDatabase

/// A connection's thread moves off the CPU of a caller that waits awake for it (see
/// `CoreSeparation`): two threads handing bodies back and forth on one CPU pay two context
/// switches a hand-off, and Linux leaves them together. Linux-only by nature (`sched_getcpu`,
/// `sched_setaffinity`), and it needs a second CPU to move to.
@Suite(
    "A connection's thread leaves its waiting caller's CPU",
    .enabled(if: tandem_allowed_cpu_count() >= 2, "needs two CPUs this process may run on"))
struct CoreSeparationTests {
    @Test func theThreadMovesOffTheCallersCPUAndKeepsItsAffinity() throws {
        let outcome = try Self.onOwnThread {
            () -> (before: Int32?, after: Int32?, allowed: (Int32, Int32), moves: Int) in
            var separation = CoreSeparation(interval: .zero)
            let allowedBefore = tandem_allowed_cpu_count()
            let before = CoreSeparation.currentCPU()
            if let before { separation.separate(fromCallerOn: before) }
            return (before, CoreSeparation.currentCPU(), (allowedBefore, tandem_allowed_cpu_count()), separation.moves)
        }
        let before = try #require(outcome.before)
        #expect(outcome.after != nil && outcome.after != before, "still on CPU \(before)")
        #expect(outcome.moves == 1)
        #expect(outcome.allowed.0 == outcome.allowed.1, "the thread's affinity was not given back")
    }

    @Test func aThreadOnAnotherCPUStaysWhereItIs() throws {
        let moves = try Self.onOwnThread { () -> Int in
            var separation = CoreSeparation(interval: .zero)
            guard let here = CoreSeparation.currentCPU() else { return -1 }
            let elsewhere = here == 0 ? Int32(1) : here - 1
            separation.separate(fromCallerOn: elsewhere)
            return separation.moves
        }
        #expect(moves == 0)
    }

    @Test func movesAreSpacedByTheInterval() throws {
        let moves = try Self.onOwnThread { () -> (spaced: Int, unspaced: Int) in
            var spaced = CoreSeparation(interval: .seconds(3600))
            var unspaced = CoreSeparation(interval: .zero)
            for _ in 0..<3 {
                if let here = CoreSeparation.currentCPU() { spaced.separate(fromCallerOn: here) }
                if let here = CoreSeparation.currentCPU() { unspaced.separate(fromCallerOn: here) }
            }
            return (spaced.moves, unspaced.moves)
        }
        #expect(moves.spaced == 1)
        #expect(moves.unspaced == 3)
    }

    /// The kernel often puts the pair back together soon after a move: the thread must not
    /// share its caller's CPU for long then (with a 2 ms interval, about 70 single-row gets did).
    @Test func aThreadPutBackBesideItsCallerSoonAfterAMoveMovesAgain() throws {
        let moves = try Self.onOwnThread { () -> Int in
            var separation = CoreSeparation()
            if let here = CoreSeparation.currentCPU() { separation.separate(fromCallerOn: here) }
            let later = ContinuousClock.now.advanced(by: .microseconds(300))
            while ContinuousClock.now < later {}
            if let here = CoreSeparation.currentCPU() { separation.separate(fromCallerOn: here) }
            return separation.moves
        }
        #expect(moves == 2)
    }

    /// The connection's thread goes straight from one body to the next, so it is still on the
    /// first body's CPU when the next one, whose caller waits awake on that CPU, comes up.
    @Test func theConnectionsThreadRunsAnAwakeCallersBodyOnAnotherCPU() throws {
        let thread = ConnectionThread(name: "tandem-test")
        let firstCPU = Atomic<Int32>(-1), go = Atomic<Bool>(false)
        let secondCPU = Mutex<Int32?>(nil)
        let done = DispatchSemaphore(value: 0)
        thread.submit {
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while !go.load(ordering: .acquiring), ContinuousClock.now < deadline {
                firstCPU.store(tandem_current_cpu(), ordering: .releasing)
            }
        }
        while firstCPU.load(ordering: .acquiring) < 0 { Thread.sleep(forTimeInterval: 0.001) }
        let callerCPU = firstCPU.load(ordering: .acquiring)
        thread.submit(callerWaitsAwake: true, callerCPU: callerCPU) {
            secondCPU.withLock { $0 = CoreSeparation.currentCPU() }
            done.signal()
        }
        go.store(true, ordering: .releasing)
        #expect(done.wait(timeout: .now() + 5) == .success)
        let ranOn = try #require(secondCPU.withLock { $0 })
        #expect(ranOn != callerCPU, "the body ran on its caller's CPU \(callerCPU)")
    }

    /// Runs `body` on a thread of the test's own, so that moving it disturbs no thread of Swift's pool.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) throws -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + 10) == .success)
        return try #require(result.withLock { $0 })
    }
}
