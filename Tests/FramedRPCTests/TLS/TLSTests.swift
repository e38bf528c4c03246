import FramedRPCInterop
import FramedRPCTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import FramedRPC

@Suite("TLS policy")
struct TLSTests {
    /// Reports how a TLS handshake ends: the negotiated ALPN protocol, or the failure.
    final class HandshakeObserver: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let outcome: EventLoopPromise<String>
        private let done = NIOLockedValueBox(false)

        init(outcome: EventLoopPromise<String>) {
            self.outcome = outcome
        }

        private func complete(_ result: Result<String, any Error>) {
            guard
                done.withLockedValue({ done in
                    defer { done = true }
                    return !done
                })
            else { return }
            outcome.completeWith(result)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted(let negotiated) = event {
                complete(.success(negotiated ?? ""))
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            complete(.failure(error))
        }

        func channelInactive(context: ChannelHandlerContext) {
            complete(.failure(ChannelError.ioOnClosedChannel))
        }
    }

    /// Opens a TLS connection with `configuration`; returns the negotiated ALPN protocol
    /// ("" for none), or `nil` when the handshake fails.
    private func handshake(port: Int, _ configuration: TLSConfiguration) async throws -> String? {
        let context = try NIOSSLContext(configuration: configuration)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let outcome = loop.makePromise(of: String.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(HandshakeObserver(outcome: outcome))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        return try? await outcome.futureResult.get()
    }

    private func baseClient() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(TestCertificates.path("ca.pem")))
        return configuration
    }

    @Test("TLS 1.0 and 1.1 clients are refused", arguments: [TLSVersion.tlsv1, .tlsv11])
    func oldVersionsRefused(version: TLSVersion) async throws {
        try await withServer { server, _ in
            var configuration = try baseClient()
            configuration.minimumTLSVersion = .tlsv1
            configuration.maximumTLSVersion = version
            #expect(try await handshake(port: server.port!, configuration) == nil)
            try await expectServerStillServes(server)
        }
    }

    @Test("a TLS 1.2 client offering only non-forward-secret or CBC suites is refused")
    func weakSuitesRefused() async throws {
        try await withServer { server, _ in
            var configuration = try baseClient()
            configuration.maximumTLSVersion = .tlsv12
            configuration.cipherSuiteValues = [.TLS_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]
            #expect(try await handshake(port: server.port!, configuration) == nil)
        }
    }

    @Test("a TLS 1.2 client with an ECDHE AEAD suite is served, with ALPN framedrpc/1")
    func tls12Served() async throws {
        try await withServer { server, _ in
            var configuration = try baseClient()
            configuration.maximumTLSVersion = .tlsv12
            configuration.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]
            configuration.applicationProtocols = [TLSPolicy.alpnProtocol]
            #expect(try await handshake(port: server.port!, configuration) == TLSPolicy.alpnProtocol)
        }
    }

    @Test("mutual TLS: a client certificate from the trusted CA is served, others are refused")
    func mutualTLS() async throws {
        try await withServer(tls: TestCertificates.server(mutual: true)) { server, _ in
            for (certificate, accepted) in [("client", true), ("other-client", false), (nil, false)] as [(String?, Bool)] {
                let client = try RPCClient(host: "127.0.0.1", port: server.port!, tls: TestCertificates.client(certificate: certificate))
                let service = Framedrpc_Testing_TestService.Client(wrapping: client)
                let result = await outcome { try await service.emptyCall(Framedrpc_Testing_Empty()) }
                await client.close()
                if accepted {
                    #expect(throws: Never.self) { try result.get() }
                } else {
                    #expect((result.failure as? RPCError)?.code == .unavailable, "certificate \(String(describing: certificate))")
                }
            }
        }
    }

    @Test("the client refuses a server whose certificate it does not trust")
    func untrustedServer() async throws {
        try await withServer { server, _ in
            let tls = try ClientTLSConfiguration(trustRootsPath: TestCertificates.path("other-ca.pem"), serverHostname: "localhost")
            let client = try RPCClient(host: "127.0.0.1", port: server.port!, tls: tls)
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            await expectRPCError(.unavailable) { try await service.emptyCall(Framedrpc_Testing_Empty()) }
            await client.close()
        }
    }
}
