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
