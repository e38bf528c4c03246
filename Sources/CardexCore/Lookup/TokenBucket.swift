import Foundation

/// A token bucket: holds at most `capacity` tokens, refills at `refillPerSecond`, and a request
/// for `n` tokens passes only when `n` are there.
public struct TokenBucket: Sendable, Hashable {
    public var capacity: Double
    public var refillPerSecond: Double
    /// The tokens at ``updatedAt``.
    public var tokens: Double
    public var updatedAt: Date

    /// A full bucket.
    public init(rule: BudgetRule, now: Date) {
        self.init(rule: rule, tokens: Double(rule.burst), updatedAt: now)
    }

    /// A bucket of `rule` that held `tokens` at `updatedAt` (a stored state; over-full is clamped).
    public init(rule: BudgetRule, tokens: Double, updatedAt: Date) {
        capacity = Double(rule.burst)
        refillPerSecond = rule.refillPerSecond
        self.tokens = min(tokens, capacity)
        self.updatedAt = updatedAt
    }

    /// The tokens there are at `now`.
    public func available(at now: Date) -> Double {
        min(capacity, tokens + max(0, now.timeIntervalSince(updatedAt)) * refillPerSecond)
    }

    /// Whether the bucket holds all it can at `now`: then it is the same as a new one.
    public func isFull(at now: Date) -> Bool { available(at: now) >= capacity }

    /// Takes `count` tokens if there are that many at `now`; otherwise changes nothing and
    /// returns the whole seconds until there will be (from a full bucket, when `count` is more
    /// than the bucket holds).
    public mutating func take(_ count: Int, at now: Date) -> TakeResult {
        let level = available(at: now)
        guard Double(count) <= level else {
            let needed = min(Double(count), capacity)
            let seconds = refillPerSecond > 0 ? ((needed - level) / refillPerSecond).rounded(.up) : Double(Int32.max)
            return .wait(seconds: max(1, Int(seconds)))
        }
        tokens = level - Double(count)
        updatedAt = max(updatedAt, now)
        return .taken
    }

    /// Takes at least `least` tokens and up to `most`, as many as there are at `now` (whole
    /// tokens), and returns how many; or, when fewer than `least` are there, changes nothing and
    /// returns the whole seconds until there will be.
    public mutating func take(atLeast least: Int, atMost most: Int, at now: Date) -> LeaseResult {
        if case .wait(let seconds) = take(least, at: now) { return .wait(seconds: seconds) }
        let more = max(0, min(most - least, Int(tokens.rounded(.down))))
        tokens -= Double(more)
        return .taken(least + more)
    }

    /// Puts back `count` tokens taken earlier and not spent, up to the capacity.
    public mutating func putBack(_ count: Int, at now: Date) {
        tokens = min(capacity, available(at: now) + Double(count))
        updatedAt = max(updatedAt, now)
    }

    public enum TakeResult: Sendable, Hashable {
        case taken
        case wait(seconds: Int)
    }

    public enum LeaseResult: Sendable, Hashable {
        case taken(Int)
        case wait(seconds: Int)
    }
}

/// The size of a budget: a burst, then a steady rate.
public struct BudgetRule: Sendable, Hashable {
    /// What a new bucket holds, and the most it ever holds.
    public var burst: Int
    /// Tokens added per hour.
    public var refillPerHour: Int

    public init(burst: Int, refillPerHour: Int) {
        self.burst = burst
        self.refillPerHour = refillPerHour
    }

    var refillPerSecond: Double { Double(refillPerHour) / 3600 }

    /// How long an empty bucket takes to fill: a bucket untouched for this long is full (`nil`
    /// when it never refills).
    public var timeToFill: Duration? {
        refillPerHour > 0 ? .seconds(Double(burst) / refillPerSecond) : nil
    }
}
