/// Durations as seconds in a `Double`, for `Thread.sleep`, JSON and ratios, and as whole
/// nanoseconds, for running averages kept in an atomic integer.
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
}
