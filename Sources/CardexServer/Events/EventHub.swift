import CardexCore
import Synchronization

/// The open event streams of this instance, by person: pushes the events committed here to them,
/// tells them of events stored by other instances (which they read from the store), and answers
/// whether a person has a stream open here.
///
/// A device is online while its stream is open. Each stream has a bounded buffer that keeps the
/// newest items; a stream that falls behind finds a gap in the sequence numbers and reads the
/// missing events from the store, so nothing is lost and memory stays bounded. Thread-safe.
final class EventHub: EventSink, Presence {
    /// What a stream receives.
    enum Item: Sendable {
        /// An event committed by this instance.
        case event(UserEvent)
        /// The person's events up to `through` are in the store (another instance stored them,
        /// or some may have been missed: then `through` is `UInt64.max`).
        case stored(through: UInt64)
    }

    /// Limits on open streams.
    struct Configuration: Sendable {
        /// Streams one person may have open at once (`cardex serve`'s setting).
        var maxStreamsPerUser: Int
        /// Events buffered per stream before the oldest are dropped (and re-read from the store).
        var bufferSize = 256
    }

    private struct Stream {
        let sessionID: String
        let continuation: AsyncStream<Item>.Continuation
    }

    private struct State {
        var streams: [UserID: [UInt64: Stream]] = [:]
        var nextID: UInt64 = 0
        var closed = false
        /// Told of each person whose first stream here opened or whose last one closed.
        var presenceObserver: (@Sendable (UserID) -> Void)?
        /// For each person with a stream here: the newest event number their streams have or
        /// were handed (``seen(_:through:)``, ``publish(_:)``).
        var seen: [UserID: UInt64] = [:]
    }

    let configuration: Configuration
    private let state = Mutex(State())

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Why a stream could not be opened.
    enum Refusal: Error {
        case tooManyStreams
        case closed
    }

    /// Opens a stream for a session's device.
    func subscribe(_ session: DeviceSession) -> Result<Subscription, Refusal> {
        let (events, continuation) = AsyncStream.makeStream(
            of: Item.self, bufferingPolicy: .bufferingNewest(configuration.bufferSize))
        let (opened, observer): (Result<UInt64, Refusal>, (@Sendable (UserID) -> Void)?) = state.withLock { state in
            guard !state.closed else { return (.failure(.closed), nil) }
            let open = state.streams[session.userID]?.count ?? 0
            guard open < configuration.maxStreamsPerUser else { return (.failure(.tooManyStreams), nil) }
            state.nextID += 1
            state.streams[session.userID, default: [:]][state.nextID] = Stream(sessionID: session.id, continuation: continuation)
            return (.success(state.nextID), open == 0 ? state.presenceObserver : nil)
        }
        observer?(session.userID)
        return opened.map { id in
            Subscription(items: events) { [weak self] in self?.remove(id, of: session.userID) }
        }
    }

    /// Whether ``close()`` was called: streams end because the server stops.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Ends every stream and refuses new ones: the server is stopping, and streams would
    /// otherwise hold its drain open for the whole grace period.
    func close() {
        let ended = state.withLock { state in
            state.closed = true
            return state.streams.values.flatMap(\.values)
        }
        for stream in ended { stream.continuation.finish() }
    }

    /// Ends the streams of a session (revoked, logged out, account deleted).
    func endStreams(ofSession sessionID: String) {
        let ended = state.withLock { state in
            state.streams.values.flatMap { $0.values.filter { $0.sessionID == sessionID } }
        }
        for stream in ended { stream.continuation.finish() }
    }

    /// Ends every stream of a person.
    func endStreams(of user: UserID) {
        let ended = state.withLock { state in state.streams[user].map { Array($0.values) } ?? [] }
        for stream in ended { stream.continuation.finish() }
    }

    func publish(_ events: [UserEvent]) {
        let deliveries = state.withLock { state in
            var deliveries: [(AsyncStream<Item>.Continuation, UserEvent)] = []
            for event in events {
                guard let streams = state.streams[event.user] else { continue }
                state.seen[event.user] = max(state.seen[event.user] ?? 0, event.seq)
                for stream in streams.values {
                    deliveries.append((stream.continuation, event))
                }
            }
            return deliveries
        }
        for (continuation, event) in deliveries { continuation.yield(.event(event)) }
    }

    /// A stream of `user` holds their events up to `through` (it replayed them).
    func seen(_ user: UserID, through: UInt64) {
        state.withLock { state in
            guard state.streams[user] != nil else { return }
            state.seen[user] = max(state.seen[user] ?? 0, through)
        }
    }

    /// The newest event number `user`'s streams here have or were handed; `nil` when they have
    /// no stream here, or none has said.
    func seen(_ user: UserID) -> UInt64? {
        state.withLock { $0.seen[user] }
    }

    /// Tells `user`'s streams that their events up to `through` are in the store.
    func stored(_ user: UserID, through: UInt64) {
        let streams = state.withLock { state in state.streams[user].map { Array($0.values) } ?? [] }
        for stream in streams { stream.continuation.yield(.stored(through: through)) }
    }

    /// Tells every stream to read the store: events may have been stored without word reaching
    /// this instance.
    func storedForAll() {
        let streams = state.withLock { state in state.streams.values.flatMap(\.values) }
        for stream in streams { stream.continuation.yield(.stored(through: .max)) }
    }

    /// Whether `user` has a stream open here, or (read through `transaction`) on another instance.
    func isOnline(_ user: UserID, reading transaction: any ReadTransaction) async throws -> Bool {
        if isOnline(user) { return true }
        return try await transaction.isOnlineElsewhere(user)
    }

    /// Whether `user` has a stream open here.
    func isOnline(_ user: UserID) -> Bool {
        state.withLock { $0.streams[user]?.isEmpty == false }
    }

    /// The people with a stream open here.
    var onlineUsers: [UserID] { state.withLock { Array($0.streams.keys) } }

    /// Tells `observer` of each person whose first stream here opens or whose last one closes
    /// (``PresenceRecorder``), from the task that opened or closed it.
    func observePresence(_ observer: @escaping @Sendable (UserID) -> Void) {
        state.withLock { $0.presenceObserver = observer }
    }

    private func remove(_ id: UInt64, of user: UserID) {
        let (stream, observer): (Stream?, (@Sendable (UserID) -> Void)?) = state.withLock { state in
            let stream = state.streams[user]?.removeValue(forKey: id)
            guard stream != nil, state.streams[user]?.isEmpty == true else { return (stream, nil) }
            state.streams[user] = nil
            state.seen[user] = nil
            return (stream, state.presenceObserver)
        }
        stream?.continuation.finish()
        observer?(user)
    }
}

/// One open stream of an ``EventHub``. ``close()`` (idempotent) takes it out of the hub.
final class Subscription: Sendable {
    /// What is published for the person, newest kept when the buffer is full.
    let items: AsyncStream<EventHub.Item>
    private let onClose: Mutex<(@Sendable () -> Void)?>

    init(items: AsyncStream<EventHub.Item>, onClose: @escaping @Sendable () -> Void) {
        self.items = items
        self.onClose = Mutex(onClose)
    }

    func close() {
        onClose.withLock { action in
            defer { action = nil }
            return action
        }?()
    }
}
