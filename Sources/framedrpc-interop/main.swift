import ArgumentParser
import Foundation
import FramedRPC
import FramedRPCInterop
import FramedRPCReflection

/// `framedrpc-interop serve` hosts the interop test service; `framedrpc-interop run` runs the
/// interop cases against a server and prints one line per case.
@main
struct InteropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framedrpc-interop",
        abstract: "FramedRPC interop test server and client.",
        subcommands: [Serve.self, Run.self]
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Host framedrpc.testing.TestService until SIGTERM or SIGINT.")

    @Option(help: "Address to bind.") var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free one.") var port = 0
    @Option(help: "PEM certificate chain (TLS).") var cert: String?
    @Option(help: "PEM private key (TLS).") var key: String?
    @Flag(help: "Serve plaintext instead of TLS (loopback tests only).") var plaintext = false
    @Flag(help: "Also serve framedrpc.reflection.v1.ServerReflection (for the framedrpc CLI).") var reflection = false

    func run() async throws {
        let tls: ServerTLSConfiguration?
        switch (cert, key, plaintext) {
        case (let cert?, let key?, false): tls = try ServerTLSConfiguration(certificateChainPath: cert, privateKeyPath: key)
        case (nil, nil, true): tls = nil
        default: throw ValidationError("give --cert and --key for TLS, or --plaintext")
        }
        var services: [any RPCService] = [TestServiceImplementation()]
        if reflection {
            services.append(try ReflectionService(describing: services))
        }
        let server = RPCServer(services: services)
        try await server.start(host: host, port: port, tls: tls)
        // Unbuffered, so a parent process reading the pipe sees it at once.
        FileHandle.standardOutput.write(Data("listening on \(host):\(server.port ?? port)\n".utf8))
        let signals = AsyncStream.makeStream(of: Int32.self)
        for signal in [SIGTERM, SIGINT] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal)
            source.setEventHandler { signals.continuation.yield(signal) }
            source.resume()
            Keeper.sources.append(source)
        }
        for await _ in signals.stream { break }
        await server.shutdown(gracePeriod: .seconds(5))
    }
}

/// Keeps signal sources alive for the life of the process.
enum Keeper {
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run interop cases against a server.")

    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port: Int
    @Option(help: "PEM file of the CA that signed the server certificate (TLS).") var ca: String?
    @Option(help: "Host name the server certificate must carry.") var serverHostname = "localhost"
    @Option(help: "Comma-separated case names; all by default.") var cases: String?

    func run() async throws {
        let selected =
            try cases.map { list in
                try list.split(separator: ",").map { name in
                    guard let found = InteropCase(rawValue: String(name)) else {
                        throw ValidationError("unknown case \(name); known: \(InteropCase.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return found
                }
            } ?? InteropCase.allCases
        let tls = try ca.map { try ClientTLSConfiguration(trustRootsPath: $0, serverHostname: serverHostname) }
        let client = try RPCClient(host: host, port: port, tls: tls)
        var failed = 0
        for interopCase in selected {
            do {
                try await interopCase.run(using: client)
                print("PASS \(interopCase.rawValue)")
            } catch {
                failed += 1
                print("FAIL \(interopCase.rawValue): \(error)")
            }
        }
        await client.close()
        print("\(selected.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }
}
