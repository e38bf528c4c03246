import CardexCore
import CoreMetrics

/// What Cardex counts beyond the RPC layer (which FramedRPC counts itself), through swift-metrics.
///
/// Made once per server; with metrics off, through swift-metrics' no-op factory, so the code that
/// counts never asks whether it should.
struct CardexMetrics: Sendable {
    /// Events stored by this instance's writes (each person's event once).
    let eventsAppended: Counter
    /// Events written to event streams, live or replayed.
    let eventsPushed: Counter
    /// Event streams open on this instance.
    let eventStreams: Meter
    /// Numbers looked up and answered (found or not), and numbers refused for want of budget.
    let lookupsAnswered: Counter
    let lookupsRefused: Counter
    /// Verification codes issued (queued for sending), and code checks that failed (a wrong,
    /// expired, used or exhausted code).
    let codesSent: Counter
    let verificationsFailed: Counter
    /// Notifications neither delivered nor given up, read from the store when metrics are scraped.
    let outboxPending: Gauge

    init(factory: any MetricsFactory) {
        eventsAppended = Counter(label: "cardex_events_appended_total", factory: factory)
        eventsPushed = Counter(label: "cardex_events_pushed_total", factory: factory)
        eventStreams = Meter(label: "cardex_event_streams", factory: factory)
        lookupsAnswered = Counter(label: "cardex_lookups_total", dimensions: [("outcome", "answered")], factory: factory)
        lookupsRefused = Counter(label: "cardex_lookups_total", dimensions: [("outcome", "refused")], factory: factory)
        codesSent = Counter(label: "cardex_verification_codes_sent_total", factory: factory)
        verificationsFailed = Counter(label: "cardex_verification_failures_total", factory: factory)
        outboxPending = Gauge(label: "cardex_outbox_pending", factory: factory)
    }

    /// Counts nothing.
    static let disabled = CardexMetrics(factory: NOOPMetricsHandler.instance)
}

/// Passes stored events on to the hub, counting them.
struct CountedEventSink: EventSink {
    let hub: EventHub
    let appended: Counter

    func publish(_ events: [UserEvent]) {
        appended.increment(by: events.count)
        hub.publish(events)
    }
}
