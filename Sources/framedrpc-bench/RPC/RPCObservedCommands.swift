import ArgumentParser
import CoreMetrics
import FramedRPC
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

/// What an observed server runs with, as `cardex serve --metrics … --otlp-endpoint …` does but
/// with no exporter attached: swift-prometheus's factory on a registry nobody scrapes, and
/// swift-otel's tracer (every span sampled, batched, then dropped).
struct BenchObservability {
    let metrics: any MetricsFactory
    let tracer: any Tracer
    /// Batches the spans; runs for the life of the process.
    let tracing: any Service

    static func make() throws -> BenchObservability {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "framedrpc-bench"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.sampler = .alwaysOn
        configuration.traces.exporter = .none
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        return BenchObservability(metrics: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), tracer: tracer, tracing: service)
    }
}

/// `rpc-observed-server`: `rpc-server` with metrics and tracing on.
struct RPCObservedServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-observed-server",
        abstract: "Serve the FramedRPC Echo service with metrics and tracing on (no exporter) until killed."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let observability = try BenchObservability.make()
        let tracing = Task { try await observability.tracing.run() }
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
