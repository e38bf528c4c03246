extension Duration {
    /// Whole microseconds, truncated (as the anchor counts them).
    var wholeMicroseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}
