import ArgumentParser

/// Where a benchmark server listens and the PEM files it serves TLS with.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to bind.")
    var host: String = BenchDefaults.host

    @Option(help: "TCP port to bind; 0 picks a free port (printed as `listening on HOST:PORT`).")
    var port: Int = 0

    @Option(help: "PEM certificate chain the server presents.")
    var cert: String

    @Option(help: "PEM private key of the certificate.")
    var key: String

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port: use 0…65535 (0 picks a free one).")
        }
        try PEMFile.validate(cert, option: "--cert", what: "certificate chain to present")
        try PEMFile.validate(key, option: "--key", what: "private key of --cert")
    }
}
