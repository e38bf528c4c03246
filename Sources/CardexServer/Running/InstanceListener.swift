import CardexCore

/// Applies what the other instances on the same database signal (``InstanceSignaling``):
/// revocations end sessions and streams here (``Revocations``), and the events they stored are
/// read for this instance's streams of the person (``StoredEventsFetcher``).
///
/// When signals may have been missed (listening started, or started again after the connection
/// broke) it forgets every cached session and has every stream read the store: a missed signal
/// costs a read, never a revocation or an event.
struct InstanceListener: Sendable {
    let signals: any InstanceSignaling
    let revocations: Revocations
    let hub: EventHub
    let fetcher: StoredEventsFetcher

    /// Listens until the task is cancelled.
    func run() async {
        let (signals, instance, revocations, hub, fetcher) = (signals, signals.instance, revocations, hub, fetcher)
        await signals.listen(
            receive: { signal in
                switch signal {
                case .sessionRevoked, .accountDeleted:
                    revocations.apply(signal)
                case .eventsStored(let user, let through, let origin):
                    // This instance's own events reached its streams when they committed.
                    if origin != instance { fetcher.stored(user, through: through) }
                }
            },
            missed: {
                revocations.mayHaveMissed()
                hub.storedForAll()
            })
    }
}
