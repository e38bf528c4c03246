import CardexCore
import Foundation
import Synchronization

/// A clock that is `step` seconds on at every read: time passes between any two things a
/// worker does, however quickly it does them. Safe to read from any thread.
public final class SteppingClock: WallClock, Sendable {
    /// What the first read answers.
    public let start: Date
    private let step: TimeInterval
    private let reads = Mutex(0)

    /// A clock whose first read is `start` and every later read `step` seconds after the one before.
    public init(start: Date, step: TimeInterval) {
        self.start = start
        self.step = step
    }

    /// `start` plus `step` times the reads before this one.
    public func now() -> Date {
        let read = reads.withLock { count in
            defer { count += 1 }
            return count
        }
        return start.addingTimeInterval(Double(read) * step)
    }
}
