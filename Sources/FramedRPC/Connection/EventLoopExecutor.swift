import NIOCore

/// Runs Swift tasks on a NIO event loop, so a call's handler and its connection share a thread
/// and no job crosses threads on the way.
final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension Duration {
    /// This duration as a NIO `TimeAmount`: NIO's own `TimeAmount(_:)` (nanosecond precision,
    /// clamped to `TimeAmount`'s range). Only for the call sites in `Server/` and `Client/`;
    /// elsewhere write `TimeAmount(duration)`.
    var timeAmount: TimeAmount {
        TimeAmount(self)
    }

    /// Whole microseconds, rounded up, at least 1 for a positive duration.
    var wholeMicroseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, self > .zero else { return 0 }
        let micros = UInt64(seconds) &* 1_000_000 &+ UInt64((attoseconds + 999_999_999_999) / 1_000_000_000_000)
        return max(micros, 1)
    }
}
