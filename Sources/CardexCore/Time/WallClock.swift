import Foundation

/// Where Cardex reads the current time. Code that expires, limits or schedules takes one, so
/// tests move time forward instead of sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    /// Creates the clock.
    public init() {}

    public func now() -> Date { Date() }
}
