/// Durations as seconds in a `Double`, for `Thread.sleep`, JSON and ratios.
extension Duration {
    /// The duration in seconds, with sub-second precision.
    public var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
