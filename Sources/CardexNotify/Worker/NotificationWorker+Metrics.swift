import CoreMetrics

extension NotificationWorker {
    /// What the worker counts, labelled by the delivery adapter.
    public struct Metrics: Sendable {
        /// Messages the adapter accepted.
        let delivered: Counter
        /// Attempts that failed (each retry counts again).
        let failed: Counter

        /// Counts through `factory`, as `cardex_notifications_delivered_total{adapter}` and
        /// `cardex_notification_failures_total{adapter}`.
        public init(adapter: String, factory: any MetricsFactory) {
            delivered = Counter(label: "cardex_notifications_delivered_total", dimensions: [("adapter", adapter)], factory: factory)
            failed = Counter(label: "cardex_notification_failures_total", dimensions: [("adapter", adapter)], factory: factory)
        }

        /// Counts nothing.
        public static let disabled = Metrics(adapter: "", factory: NOOPMetricsHandler.instance)
    }
}
