import CardexCore
import CardexUseCases
import Logging
import Synchronization

/// Reads for this instance's open streams the events that other instances stored, as their
/// signals arrive (``InstanceSignal/eventsStored(_:through:origin:)``): the signals of one
/// commit that reached many people (a card update fanning out) are answered by one read of all
/// their events, which the hub then pushes, instead of one read per stream.
///
/// Each person's read starts after the newest event their streams here have
/// (``EventHub/seen(_:)``). Where that is far behind, or the read fails, each stream is told to
/// read the store itself (``EventHub/stored(_:through:)``); a stream that finds a gap reads it
/// too, so nothing is lost either way.
final class StoredEventsFetcher: Sendable {
    /// Past this many events behind, a person's streams read the store themselves, page by page.
    static let largestRange: UInt64 = 100

    private let hub: EventHub
    private let events: Events
    private let logger: Logger
    private let pending = Mutex<[UserID: UInt64]>([:])
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(hub: EventHub, events: Events, logger: Logger) {
        self.hub = hub
        self.events = events
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// `user`'s events up to `through` were stored by another instance.
    func stored(_ user: UserID, through: UInt64) {
        guard hub.isOnline(user) else { return }
        pending.withLock { $0[user] = max($0[user] ?? 0, through) }
        wake.yield()
    }

    /// Reads what is pending until the task is cancelled.
    func run() async {
        for await _ in wakeUps { await fetch() }
    }

    private func fetch() async {
        let pending = pending.withLock { pending in
            defer { pending = [:] }
            return pending
        }
        var ranges: [EventRange] = []
        for (user, through) in pending {
            // Unknown: the newest event only; a stream that lacks more finds the gap.
            let after = hub.seen(user) ?? through - 1
            guard through > after else { continue }
            if through - after > Self.largestRange {
                hub.stored(user, through: through)
            } else {
                ranges.append(EventRange(user: user, after: after, through: through))
            }
        }
        guard !ranges.isEmpty else { return }
        do {
            hub.publish(try await events.events(in: ranges))
        } catch {
            logger.warning("could not read the events other instances stored; each stream reads them", metadata: ["error": "\(error)"])
            for range in ranges { hub.stored(range.user, through: range.through) }
        }
    }
}
