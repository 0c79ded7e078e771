/// Durations as seconds in a `Double`, for `Thread.sleep`, JSON and ratios; as whole
/// nanoseconds, for running averages kept in an atomic integer; and as a C timeout in
/// milliseconds, for `poll` and `sqlite3_busy_timeout`.
extension Duration {
    /// The duration in seconds, with sub-second precision.
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds, clamped to `Int`'s range.
    var wholeNanoseconds: Int {
        let (seconds, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return components.seconds < 0 ? .min : .max }
        return Int(clamping: seconds) &+ Int(components.attoseconds / 1_000_000_000)
    }

    /// The duration as a C timeout in whole milliseconds (`poll`, `sqlite3_busy_timeout`),
    /// rounded up so that a short wait still waits: 0 for a duration of zero or less (to `poll`,
    /// a negative timeout means "wait forever"), `Int32.max` (24.8 days) for anything longer.
    public var timeoutMilliseconds: Int32 {
        guard self > .zero else { return 0 }
        let (milliseconds, overflow) = components.seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, milliseconds < Int64(Int32.max) else { return .max }
        let fraction = (components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds + fraction)
    }
}
