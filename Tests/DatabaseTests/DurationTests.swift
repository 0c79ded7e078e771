import Testing

@testable import TandemDatabase

/// Durations in whole nanoseconds, as the connection threads keep their running averages.
@Suite("Durations in whole nanoseconds")
struct DurationTests {
    @Test(arguments: [
        (Duration.microseconds(100), 100_000),
        (Duration.seconds(2) + .nanoseconds(5), 2_000_000_005),
        (Duration.nanoseconds(-7), -7),
        (Duration.zero, 0),
        (Duration.seconds(Int64.max), Int.max),
        (Duration.seconds(Int64.min), Int.min),
    ])
    func wholeNanoseconds(duration: Duration, nanoseconds: Int) {
        #expect(duration.wholeNanoseconds == nanoseconds)
    }
}

/// Durations as C timeouts in milliseconds, for `poll` and `sqlite3_busy_timeout`.
@Suite("Durations as C timeouts")
struct TimeoutMillisecondsTests {
    @Test(
        arguments: [
            (Duration.milliseconds(1500), 1500),
            (Duration.microseconds(1), 1),
            (Duration.milliseconds(2) + .nanoseconds(1), 3),
            (Duration.zero, 0),
            (Duration.milliseconds(-5), 0),
            (Duration.seconds(Int64.min), 0),
            (Duration.milliseconds(Int64(Int32.max)), Int32.max),
            (Duration.seconds(Int64.max), Int32.max),
            (Duration.seconds(3_000_000), Int32.max),
        ] as [(Duration, Int32)])
    func timeoutMilliseconds(duration: Duration, milliseconds: Int32) {
        #expect(duration.timeoutMilliseconds == milliseconds)
    }
}
