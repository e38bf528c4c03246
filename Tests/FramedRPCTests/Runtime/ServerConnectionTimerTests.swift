import FramedRPCInterop
import NIOCore
import NIOEmbedded
import Testing

@testable import FramedRPC

/// The server connection's timers on an `EmbeddedChannel`, whose loop's clock moves only when
/// the test advances it: keepalive, idle, handshake and drain without waiting on real time.
/// (ConnectionLifecycleTests checks each of them once over real TLS.)
@Suite("Server connection timers on a manual clock")
struct ServerConnectionTimerTests {
    /// A connected channel with a server connection handler for the interop test service.
    final class Connection {
        let channel = EmbeddedChannel()
        /// Reads what the server writes, preface first: kept across looks.
        private var decoder = FrameDecoder(maxFrameSize: 64 << 20)
        private var unread = ByteBuffer()
        var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

        init(_ configuration: ServerConfiguration) throws {
            let handler = ServerConnectionHandler(
                router: RPCRouter(services: [TestServiceImplementation()]), interceptors: [], configuration: configuration)
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        /// Sends the client's preface and reads the server's.
        func exchangePrefaces() throws {
            try channel.writeInbound(ByteBuffer(bytes: Preface.current.bytes))
            loop.run()
            #expect(try written() == [.preface(.current)])
        }

        func send(_ type: FrameType, stream: UInt32, payload: [UInt8] = []) throws {
            var buffer = ByteBuffer()
            buffer.writeFrame(type: type, streamID: stream, payload: payload)
            try channel.writeInbound(buffer)
            loop.run()
        }

        /// Opens a full-duplex call that stays open: HEADERS only, its handler waits for requests.
        func openCall(stream: UInt32) throws {
            var headers = Framedrpc_V1_CallHeaders()
            headers.method = "/framedrpc.testing.TestService/FullDuplexCall"
            try send(.headers, stream: stream, payload: headers.payloadBytes)
        }

        /// What the server wrote since the last look, decoded, and `.closed` once it closed.
        func written() throws -> [RawConnection.Event] {
            while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
                unread.writeBuffer(&chunk)
            }
            var events: [RawConnection.Event] = []
            while let event = try decoder.decode(buffer: &unread) {
                switch event {
                case .preface(let preface): events.append(.preface(preface))
                case .frame(let frame): events.append(.frame(frame))
                }
            }
            if !channel.isActive { events.append(.closed) }
            return events
        }

        func finish() throws {
            _ = try channel.finish(acceptAlreadyClosed: true)
        }
    }

    @Test("an unanswered keepalive PING ends the connection with GOAWAY KEEPALIVE_TIMEOUT")
    func keepaliveTimeout() throws {
        let connection = try Connection(
            ServerConfiguration.with {
                $0.keepalive.interval = .seconds(60)
                $0.keepalive.timeout = .seconds(20)
            })
        try connection.exchangePrefaces()
        connection.loop.advanceTime(by: .seconds(59))
        #expect(try connection.written() == [])
        connection.loop.advanceTime(by: .seconds(1))
        #expect(try connection.written().map(\.frameType) == [.ping])
        connection.loop.advanceTime(by: .seconds(19))
        #expect(try connection.written() == [])
        connection.loop.advanceTime(by: .seconds(1))
        let events = try connection.written()
        #expect(events.compactMap(\.goAway).first?.code == .keepaliveTimeout)
        #expect(events.last == .closed)
        try connection.finish()
    }

    @Test("an answered keepalive PING keeps the connection, and reads put the next one off")
    func keepaliveAnswered() throws {
        let connection = try Connection(
            ServerConfiguration.with {
                $0.keepalive.interval = .seconds(60)
                $0.keepalive.timeout = .seconds(20)
            })
        try connection.exchangePrefaces()
        connection.loop.advanceTime(by: .seconds(60))
        guard case .frame(let ping)? = try connection.written().first, ping.type == .ping else {
            Issue.record("no keepalive PING")
            return
        }
        connection.loop.advanceTime(by: .seconds(10))
        try connection.send(.pong, stream: 0, payload: Array(ping.payload.readableBytesView))
        connection.loop.advanceTime(by: .seconds(30))
        #expect(try connection.written() == [])
        #expect(connection.channel.isActive)
        // The PONG was read at 70 s: the next PING is due 60 s later.
        connection.loop.advanceTime(by: .seconds(29))
        #expect(try connection.written() == [])
        connection.loop.advanceTime(by: .seconds(1))
        #expect(try connection.written().map(\.frameType) == [.ping])
        try connection.finish()
    }

    @Test("a connection without calls is closed after the idle timeout with GOAWAY IDLE_TIMEOUT")
    func idleTimeout() throws {
        let connection = try Connection(
            ServerConfiguration.with {
                $0.connection.idleTimeout = .seconds(300)
                $0.keepalive.interval = .seconds(3600)
            })
        try connection.exchangePrefaces()
        connection.loop.advanceTime(by: .seconds(299))
        #expect(try connection.written() == [])
        connection.loop.advanceTime(by: .seconds(1))
        let events = try connection.written()
        #expect(events.compactMap(\.goAway).first?.code == .idleTimeout)
        #expect(events.last == .closed)
        try connection.finish()
    }

    @Test("an open call keeps the connection past the idle timeout")
    func idleWithCall() throws {
        let connection = try Connection(
            ServerConfiguration.with {
                $0.connection.idleTimeout = .seconds(300)
                $0.keepalive.interval = .seconds(3600)
            })
        try connection.exchangePrefaces()
        try connection.openCall(stream: 1)
        connection.loop.advanceTime(by: .seconds(900))
        #expect(connection.channel.isActive)
        try connection.send(.cancel, stream: 1)
        connection.loop.advanceTime(by: .seconds(299))
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .seconds(1))
        #expect(try connection.written().compactMap(\.goAway).first?.code == .idleTimeout)
        try connection.finish()
    }

    @Test("a connection that never sends its preface is closed after the handshake timeout, without a word")
    func handshakeTimeout() throws {
        let connection = try Connection(ServerConfiguration.with { $0.connection.handshakeTimeout = .seconds(10) })
        connection.loop.advanceTime(by: .seconds(9))
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .seconds(1))
        #expect(try connection.written() == [.closed])
        try connection.finish()
    }

    @Test("the preface stops the handshake timer")
    func handshakeCompleted() throws {
        let connection = try Connection(
            ServerConfiguration.with {
                $0.connection.handshakeTimeout = .seconds(10)
                $0.keepalive.interval = .seconds(3600)
            })
        try connection.exchangePrefaces()
        connection.loop.advanceTime(by: .seconds(20))
        #expect(connection.channel.isActive)
        try connection.finish()
    }

    @Test("drain without calls: GOAWAY NO_ERROR, then close")
    func drainIdle() throws {
        let connection = try Connection(.defaults)
        try connection.exchangePrefaces()
        connection.channel.pipeline.fireUserInboundEventTriggered(ServerDrainEvent(gracePeriod: .seconds(30)))
        let events = try connection.written()
        #expect(events.compactMap(\.goAway).first?.code == .noError)
        #expect(events.last == .closed)
        try connection.finish()
    }

    @Test("drain with an open call: GOAWAY, new calls refused, the call ends UNAVAILABLE after the grace period, then close")
    func drainPastGrace() throws {
        let connection = try Connection(ServerConfiguration.with { $0.keepalive.interval = .seconds(3600) })
        try connection.exchangePrefaces()
        try connection.openCall(stream: 1)
        connection.channel.pipeline.fireUserInboundEventTriggered(ServerDrainEvent(gracePeriod: .seconds(30)))
        connection.loop.run()
        let goAway = try connection.written().compactMap(\.goAway).first
        #expect(goAway?.code == .noError)
        #expect(goAway?.lastStreamID == 1)
        try connection.openCall(stream: 3)
        #expect(try connection.written().compactMap(\.status).map { "\($0.stream): \($0.status.code)" } == ["3: \(StatusCode.unavailable.rawValue)"])
        connection.loop.advanceTime(by: .seconds(29))
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .seconds(1))
        let events = try connection.written()
        #expect(events.compactMap(\.status).map { "\($0.stream): \($0.status.code)" } == ["1: \(StatusCode.unavailable.rawValue)"])
        #expect(events.last == .closed)
        try connection.finish()
    }
}
