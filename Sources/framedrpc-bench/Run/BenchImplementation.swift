import ArgumentParser

/// An implementation `run` can measure, and the subcommands that serve and load it.
enum BenchImplementation: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Bare swift-nio + NIOSSL echo: `floor-server` / `floor-client`.
    case floor
    /// FramedRPC's generated Echo stubs: `rpc-server` / `rpc-client`.
    case rpc
    /// The same with metrics and tracing on (no exporter): `rpc-observed-server` / `rpc-observed-client`.
    case rpcObserved = "rpc-observed"

    /// The subcommand that serves this implementation.
    var serverSubcommand: String { "\(rawValue)-server" }
    /// The subcommand that loads it and prints a JSON line.
    var clientSubcommand: String { "\(rawValue)-client" }
}
