/// One client run's outcome, printed as the JSON line the grpc-swift-2 anchor prints.
///
/// Percentiles are read from the sorted latencies the anchor's way: the sample at index
/// `min(count - 1, Int(count × q))`; `qps` is completed calls over the measured seconds.
struct BenchResult: Sendable, Equatable {
    /// Which implementation was measured: `nio-tls-floor`, `framedrpc`, `grpc-swift-2`.
    var impl: String
    /// Calls completed, including those in flight when the measuring time ran out.
    var calls: Int
    /// Calls per second.
    var qps: Int
    /// Median latency, microseconds.
    var p50Micros: Int
    /// 99th percentile latency, microseconds.
    var p99Micros: Int
    /// Calls that were kept in flight.
    var concurrency: Int
    /// Payload bytes per call.
    var payload: Int

    /// Summarises latencies in microseconds (any order) measured over `seconds`.
    init(impl: String, latencies: [Int], seconds: Double, concurrency: Int, payload: Int) {
        let sorted = latencies.sorted()
        func percentile(_ q: Double) -> Int {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
        }
        self.impl = impl
        self.calls = sorted.count
        self.qps = Int(Double(sorted.count) / seconds)
        self.p50Micros = percentile(0.5)
        self.p99Micros = percentile(0.99)
        self.concurrency = concurrency
        self.payload = payload
    }

    /// The keys in this exact order, so lines from all implementations compare line by line.
    var jsonLine: String {
        #"{"impl":"\#(impl)","calls":\#(calls),"qps":\#(qps),"p50_us":\#(p50Micros),"#
            + #""p99_us":\#(p99Micros),"concurrency":\#(concurrency),"payload":\#(payload)}"#
    }
}
