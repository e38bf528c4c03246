/// Flow-control constants of protocol version 1 (docs/PROTOCOL.md §5).
enum FlowControl {
    /// Every call's window, in each direction, starts at this many bytes.
    static let initialWindow = 1 << 20
    /// Receivers return credit once this many bytes have been consumed.
    static let creditThreshold = initialWindow / 2
    /// The largest window increment a WINDOW_UPDATE may carry, and the largest window.
    static let maxWindow = Int(Int32.max)
}
