import Foundation
import Logging
import Synchronization
import Testing

@testable import TandemMigrations

@Suite("A stop request is reported to the caller; the library never ends the process")
struct RuntimeInterruptionTests {
    @Test func aSecondSignalCallsTheCallerInsteadOfExiting() async throws {
        let repeats = Counter()
        let interruption = BackfillInterruption.onSignals([SIGUSR1], logger: Logger(label: "test")) {
            repeats.add()
        }
        #expect(!interruption.isRequested)
        // The dispatch source starts listening asynchronously, and a signal sent before it does
        // is lost: send again until the first one is seen.
        for _ in 0..<5 where !interruption.isRequested {
            kill(getpid(), SIGUSR1)
            try await waitUntil(seconds: 1) { interruption.isRequested }
        }
        #expect(interruption.isRequested)
        #expect(repeats.value == 0)
        // Signals of one kind that arrive together may merge into one: one at a time.
        kill(getpid(), SIGUSR1)
        try await waitUntil(seconds: 5) { repeats.value >= 1 }
        kill(getpid(), SIGUSR1)
        try await waitUntil(seconds: 5) { repeats.value >= 2 }
        #expect(repeats.value >= 2)
        // Still running: this line is reached, and the request stays.
        #expect(interruption.isRequested)
    }

    /// Polls `condition` for up to `seconds`.
    private func waitUntil(seconds: Int, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A count several threads add to.
private final class Counter: Sendable {
    private let count = Atomic<Int>(0)

    /// Adds one.
    func add() { count.add(1, ordering: .sequentiallyConsistent) }

    /// The count.
    var value: Int { count.load(ordering: .sequentiallyConsistent) }
}
