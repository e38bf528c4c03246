import ArgumentParser

/// The server a load client dials, how it verifies it, and the load it offers.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server address.")
    var host: String = BenchDefaults.host

    @Option(help: "Server TCP port.")
    var port: Int

    @Option(help: "PEM file of the CA (or self-signed certificate) the server's certificate must chain to.")
    var ca: String

    @Option(help: "Name the server certificate is verified against.")
    var serverHostname: String = BenchDefaults.serverHostname

    @Option(help: "Calls kept in flight on the one connection.")
    var concurrency: Int = BenchDefaults.concurrency

    @Option(help: "Seconds to measure after the warm-up call.")
    var seconds: Double = BenchDefaults.seconds

    @Option(help: "Payload bytes per request (echoed back).")
    var payload: Int = BenchDefaults.payload

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("--port \(port) is not a server port: pass the port the server printed.")
        }
        try PEMFile.validate(ca, option: "--ca", what: "of the CA the server certificate chains to")
        guard concurrency >= 1 else {
            throw ValidationError("--concurrency must be at least 1 (got \(concurrency)).")
        }
        guard seconds > 0 else {
            throw ValidationError("--seconds must be positive (got \(seconds)).")
        }
        guard (0...BenchDefaults.maximumFramePayload).contains(payload) else {
            throw ValidationError("--payload must be 0…\(BenchDefaults.maximumFramePayload) bytes (got \(payload)).")
        }
    }
}
