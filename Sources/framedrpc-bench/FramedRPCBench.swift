import ArgumentParser

/// `framedrpc-bench`: unary echo over TLS on one connection, the bare-NIO floor against FramedRPC,
/// with and without metrics and tracing.
///
/// Each client subcommand prints one JSON line in the grpc-swift-2 anchor's shape:
/// `{"impl":…,"calls":…,"qps":…,"p50_us":…,"p99_us":…,"concurrency":…,"payload":…}`.
@main
struct FramedRPCBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framedrpc-bench",
        abstract: "Unary echo over TLS on one connection: the bare swift-nio floor and FramedRPC.",
        discussion: """
            Each *-client run warms the connection with one call, then keeps --concurrency calls \
            in flight for --seconds and prints one JSON line: impl, calls, qps, p50_us, p99_us, \
            concurrency, payload. `run` makes a throwaway certificate, starts the servers as \
            separate processes and runs the clients against them.
            """,
        subcommands: [
            FloorServerCommand.self, FloorClientCommand.self,
            RPCServerCommand.self, RPCClientCommand.self,
            RPCObservedServerCommand.self, RPCObservedClientCommand.self,
            RunCommand.self,
        ]
    )
}
