import CardexCore
import CardexProto
import FramedRPC

/// The per-device event stream: replays what a device missed, then pushes events as they commit.
///
/// Each event is sent once per stream, in sequence order: the stream joins the ``EventHub``
/// before it replays from the store, skips what it already sent, and fills any gap in the pushed
/// sequence from the store. Events stored by another instance on the same database arrive as
/// word that the store holds more (``EventHub/Item/stored(through:)``), and are read from it.
struct EventService: Cardex_V1_EventService.ServiceProtocol {
    let environment: ServiceEnvironment
    let hub: EventHub
    /// On a database shared with other instances: records that the person is online here.
    let presence: PresenceRecorder?

    /// Events read from the store per query while replaying.
    static let replayPage = 500

    func subscribe(
        request: Cardex_V1_SubscribeRequest, response: RPCWriter<Cardex_V1_SubscribeResponse>, context: ServerContext
    ) async throws {
        let session = try context.caller()
        let subscription: Subscription
        switch hub.subscribe(session) {
        case .success(let opened): subscription = opened
        case .failure(.tooManyStreams):
            throw CardexError.resourceExhausted(
                "at most \(hub.configuration.maxStreamsPerUser) event streams may be open per person: close one on another device",
                retryAfterSeconds: 0)
        case .failure(.closed): throw Self.stopping
        }
        environment.metrics.eventStreams.increment()
        defer {
            subscription.close()
            environment.metrics.eventStreams.decrement()
        }
        // The device counts as online everywhere before it hears it is ready.
        await presence?.settled()

        var last =
            request.hasAfterSeq
            ? try await replay(after: request.afterSeq, of: session.userID, to: response)
            : try await environment.useCases.events.latestSeq(of: session.userID)
        try await response.write(.with { $0.ready.latestSeq = last })
        hub.seen(session.userID, through: last)
        for await item in subscription.items {
            switch item {
            case .event(let event):
                if event.seq <= last { continue }
                if event.seq == last + 1 {
                    try await push(event, to: response)
                    last = event.seq
                } else {
                    last = try await replay(after: last, of: session.userID, to: response)
                }
            case .stored(let through):
                if through > last { last = try await replay(after: last, of: session.userID, to: response) }
            }
        }
        try Task.checkCancellation()
        if hub.isClosed { throw Self.stopping }
        throw CardexError.unauthenticated("the session of this stream ended: sign in again")
    }

    static let stopping = RPCError(
        code: .unavailable, message: "the server is stopping: reconnect and subscribe again after the last sequence number seen")

    private func push(_ event: UserEvent, to response: RPCWriter<Cardex_V1_SubscribeResponse>) async throws {
        try await response.write(.with { $0.event = event.proto })
        environment.metrics.eventsPushed.increment()
    }

    /// Sends the stored events after `seq`; returns the last one sent.
    private func replay(
        after seq: UInt64, of user: UserID, to response: RPCWriter<Cardex_V1_SubscribeResponse>
    ) async throws -> UInt64 {
        var last = seq
        while true {
            let events: [UserEvent]
            do {
                events = try await environment.useCases.events.events(of: user, after: last, limit: Self.replayPage)
            } catch let resync as ResyncRequired {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "resync: this device's events after \(last) are no longer kept (latest is \(resync.latest)); "
                        + "re-read the inbox and shared cards, then subscribe after \(resync.latest)",
                    details: [RPCError.Detail(resync.proto)])
            }
            for event in events {
                try await push(event, to: response)
                last = event.seq
            }
            if events.count < Self.replayPage { return last }
        }
    }
}
