extension Duration {
    /// The duration in seconds, as a `TimeInterval` for `Date` arithmetic: the one conversion
    /// every Cardex module uses (`Date` takes seconds as a `Double`, `Duration` has no such view).
    public var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
