import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import FramedRPC

/// The client connection's decisions (which calls open, whether it reads), on the machine alone
/// and through ``ClientConnectionHandler`` on an `EmbeddedChannel`.
@Suite("Client connection state machine")
struct ClientConnectionStateMachineTests {
    @Test("calls get odd, increasing stream ids")
    func streamIDs() {
        var machine = ClientConnectionStateMachine()
        #expect(machine.openCall() == .open(streamID: 1, unusable: .none))
        #expect(machine.openCall() == .open(streamID: 3, unusable: .none))
        #expect(machine.phase == .open)
    }

    @Test("the last stream id stops new calls, and the transport is told once")
    func streamIDsUsedUp() {
        var machine = ClientConnectionStateMachine(firstStreamID: UInt32(Int32.max) - 2)
        #expect(machine.openCall() == .open(streamID: UInt32(Int32.max) - 2, unusable: .none))
        #expect(machine.openCall() == .open(streamID: UInt32(Int32.max), unusable: .notify))
        #expect(machine.openCall() == .refuse)
        #expect(machine.goAwayReceived() == .none)
        #expect(machine.reads)
    }

    @Test(
        "GOAWAY, a close and a failure each stop new calls and tell the transport once; reads go on",
        arguments: [0, 1, 2])
    func stopCalls(event: Int) {
        var machine = ClientConnectionStateMachine()
        let events: [(inout ClientConnectionStateMachine) -> ClientConnectionStateMachine.OnUnusable] = [
            { $0.goAwayReceived() }, { $0.closeRequested() }, { $0.connectionFailed() },
        ]
        #expect(events[event](&machine) == .notify)
        #expect(machine.phase == .closing)
        #expect(machine.openCall() == .refuse)
        #expect(machine.reads)
        for other in events {
            #expect(other(&machine) == .none)
        }
    }

    @Test("a broken protocol stops new calls and reading; the transport is told unless it was already")
    func protocolBroken() {
        var machine = ClientConnectionStateMachine()
        #expect(machine.protocolBroken() == .notify)
        #expect(!machine.reads)
        #expect(machine.openCall() == .refuse)
        #expect(machine.connectionFailed() == .none)
        #expect(!machine.reads)

        var closing = ClientConnectionStateMachine()
        _ = closing.goAwayReceived()
        #expect(closing.protocolBroken() == .none)
        #expect(!closing.reads)
    }

    /// A handler on a connected `EmbeddedChannel`, counting what it tells the transport.
    struct Connection {
        let channel = EmbeddedChannel()
        let handler: ClientConnectionHandler
        let unusable = NIOLockedValueBox(0)

        init() throws {
            let unusable = self.unusable
            handler = ClientConnectionHandler(
                maxConcurrentCalls: 100, maxFrameSize: 1 << 20, maxMetadataSize: 8 << 10,
                onUnusable: { unusable.withLockedValue { $0 += 1 } })
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        func openUnary() -> UnaryClientCall {
            let call = UnaryClientCall(requestSize: 0)
            handler.openUnary(call, head: CallHead(path: "/p.S/M", metadata: [:], timeout: nil), request: [])
            return call
        }

        /// Writes the server's preface and `frame` to the handler.
        func receive(_ type: FrameType, stream: UInt32, payload: [UInt8]) throws {
            var buffer = ByteBuffer(bytes: Preface.current.bytes)
            buffer.writeFrame(type: type, streamID: stream, payload: payload)
            try channel.writeInbound(buffer)
            channel.embeddedEventLoop.run()
        }
    }

    /// The code a completed unary call ended with, `nil` for a success.
    static func code(of call: UnaryClientCall) async -> StatusCode? {
        do {
            _ = try await call.response()
            return nil
        } catch {
            return (error as? RPCError)?.code
        }
    }

    @Test("GOAWAY: calls past its last stream id end UNAVAILABLE, new calls are refused, the transport is told once")
    func goAway() async throws {
        let (unusable, takenOpen, refused, afterGoAway) = try Self.goAwayExchange()
        #expect(unusable == 1)
        #expect(takenOpen)
        #expect(await Self.code(of: refused) == .unavailable)
        #expect(await Self.code(of: afterGoAway) == .unavailable)
    }

    /// All on this thread (an EmbeddedChannel's): opens calls 1 and 3, receives GOAWAY(last 1),
    /// opens another. Returns how often the transport was told, whether call 1 was still open
    /// after the GOAWAY, and the two other calls.
    private static func goAwayExchange() throws -> (Int, Bool, UnaryClientCall, UnaryClientCall) {
        let connection = try Connection()
        let taken = connection.openUnary()
        let refused = connection.openUnary()
        var goAway = Framedrpc_V1_GoAway()
        goAway.lastStreamID = 1
        goAway.code = .noError
        try connection.receive(.goAway, stream: 0, payload: goAway.payloadBytes)
        let afterGoAway = connection.openUnary()
        // Ending the call here succeeds only if nothing had ended it.
        let takenOpen = taken.complete(.failure(RPCError(code: .cancelled, message: "ended by the test")))
        _ = try connection.channel.finish(acceptAlreadyClosed: true)
        return (connection.unusable.withLockedValue { $0 }, takenOpen, refused, afterGoAway)
    }

    @Test("a server that breaks the protocol: open calls end INTERNAL, the connection closes, the transport is told once")
    func brokenProtocol() async throws {
        let (unusable, call, active) = try Self.brokenExchange()
        #expect(unusable == 1)
        #expect(!active)
        #expect(await Self.code(of: call) == .internal)
    }

    private static func brokenExchange() throws -> (Int, UnaryClientCall, Bool) {
        let connection = try Connection()
        let call = connection.openUnary()
        try connection.receive(.halfClose, stream: 1, payload: [])
        let active = connection.channel.isActive
        _ = try connection.channel.finish(acceptAlreadyClosed: true)
        return (connection.unusable.withLockedValue { $0 }, call, active)
    }
}
