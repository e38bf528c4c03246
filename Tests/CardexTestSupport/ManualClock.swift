import CardexCore
import Foundation
import Synchronization

/// A wall clock that stands still until a test moves it, so expiry, limits and retries are
/// tested without sleeping. Safe to read and move from any thread.
public final class ManualClock: WallClock, Sendable {
    private let current: Mutex<Date>

    /// A clock reading `start` (by default 2026-09-21, a time no test data is near).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        current = Mutex(start)
    }

    /// The time the clock stands at.
    public func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves the clock `seconds` on (back, when negative).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0.addTimeInterval(seconds) }
    }
}
