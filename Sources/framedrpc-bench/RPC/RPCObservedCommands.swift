import ArgumentParser
import CoreMetrics
import FramedRPC
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

/// What an observed server runs with, as `cardex serve --metrics … --otlp-endpoint …` does but
/// with no exporter attached: swift-prometheus's factory on a registry nobody scrapes, and
/// swift-otel's tracer, given one call in `1 / sampleRatio` (the interceptor's root sampling, as
/// cardex serve's), recording every span it gets, batching them, then dropping them.
struct BenchObservability {
    /// Which of the two a server turns on.
    enum Parts: String, ExpressibleByArgument {
        case metrics, tracing, both
    }

    let metrics: (any MetricsFactory)?
    let tracer: (any Tracer)?
    /// The share of calls traced (the interceptor's root sampling; the tracer records what it gets).
    let sampleRatio: Double
    /// Batches the spans; runs for the life of the process.
    let tracing: (any Service)?

    static func make(_ parts: Parts, sampleRatio: Double) throws -> BenchObservability {
        let metrics = parts == .tracing ? nil : PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        guard parts != .metrics else { return BenchObservability(metrics: metrics, tracer: nil, sampleRatio: 0, tracing: nil) }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "framedrpc-bench"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.sampler = .parentBasedAlwaysOn
        configuration.traces.exporter = .none
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        return BenchObservability(metrics: metrics, tracer: tracer, sampleRatio: sampleRatio, tracing: service)
    }
}

/// `rpc-observed-server`: `rpc-server` with metrics and tracing on.
struct RPCObservedServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-observed-server",
        abstract: "Serve the FramedRPC Echo service with metrics and tracing on (no exporter) until killed."
    )

    @OptionGroup var options: ServerOptions
    @Option(help: "What to turn on: metrics, tracing or both.") var observe = BenchObservability.Parts.both
    @Option(help: "The share of calls traced, as cardex serve's --trace-sample-ratio (0.001 by default there and here).") var sampleRatio = 0.001

    func run() async throws {
        let observability = try BenchObservability.make(observe, sampleRatio: sampleRatio)
        let tracing = Task { try await observability.tracing?.run() }
        defer { tracing.cancel() }
        try await RPCServerCommand.serve(options, observability: observability)
    }
}

/// `rpc-observed-client`: `rpc-client`, labelled `framedrpc-observed`.
struct RPCObservedClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-observed-client",
        abstract: "Load an rpc-observed-server and print one JSON line (impl \"framedrpc-observed\")."
    )

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await RPCClientCommand.load(options, impl: "framedrpc-observed")
    }
}
