import Foundation
import Synchronization

/// How long two threads take to pass a turn to each other and back through one shared value:
/// the floor under every async call, whose caller and connection thread run on two CPUs.
///
/// Printed beside the figures because it is a property of the machine that changes under a
/// run: on a virtual machine it depends on where the host runs the virtual CPUs at the moment.
/// On this 2-vCPU VM it reads 65–135 ns most of the time and about 370 ns in spells of seconds
/// (CPUs that share no cache); in those spells each cache line an async call moves between
/// the two threads costs three times as much, and an async single-row SQLite get took 9 µs
/// instead of 6.5.
enum CrossCPURoundTrip {
    /// Above this, in nanoseconds, the two CPUs share no cache: the host has put them apart.
    /// Measured here: 50–150 ns on CPUs sharing a cache, 370–520 ns apart, little between.
    static let apart: Double = 300

    /// The median of `samples` measurements of `rounds` round trips each, in nanoseconds.
    static func measure(rounds: Int = 5_000, samples: Int = 5) -> Double {
        let figures = (0..<samples).map { _ in once(rounds: rounds) }.sorted()
        return figures[figures.count / 2]
    }

    private static func once(rounds: Int) -> Double {
        let turn = Turn()
        // The first rounds wait for the new thread to start and for the scheduler to give the
        // two threads a CPU each: they are not part of the figure.
        let warmUp = 1_000
        let total = warmUp + rounds
        let echo = Thread {
            // Answers each odd value with the next even one.
            for round in 0..<total {
                while turn.value.load(ordering: .acquiring) != 2 * round + 1 {}
                turn.value.store(2 * round + 2, ordering: .releasing)
            }
        }
        echo.start()
        var start = ContinuousClock.now
        for round in 0..<total {
            if round == warmUp { start = ContinuousClock.now }
            turn.value.store(2 * round + 1, ordering: .releasing)
            while turn.value.load(ordering: .acquiring) != 2 * round + 2 {}
        }
        return (ContinuousClock.now - start).timeInterval * 1e9 / Double(rounds)
    }

    private final class Turn: Sendable {
        let value = Atomic<Int>(0)
    }
}
