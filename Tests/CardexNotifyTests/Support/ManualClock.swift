import CardexCore
import Foundation
import Synchronization

/// A wall clock that stands still until a test moves it.
final class ManualClock: WallClock, Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date {
        current.withLock { $0 }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0.addTimeInterval(seconds) }
    }
}

/// A clock that is `step` seconds on at every read: time passes between any two things a
/// worker does, however quickly it does them.
final class SteppingClock: WallClock, Sendable {
    let start: Date
    private let step: TimeInterval
    private let reads = Mutex(0)

    init(start: Date = Date(timeIntervalSince1970: 1_750_000_000), step: TimeInterval) {
        self.start = start
        self.step = step
    }

    func now() -> Date {
        let read = reads.withLock { count in
            defer { count += 1 }
            return count
        }
        return start.addingTimeInterval(Double(read) * step)
    }
}
