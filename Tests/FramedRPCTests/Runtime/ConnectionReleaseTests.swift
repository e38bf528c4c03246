import FramedRPCInterop
import NIOCore
import NIOEmbedded
import Testing

@testable import FramedRPC

/// A server connection's handler must be freed once its channel is gone: a handler kept alive
/// by its own references keeps its buffers, its call table and its pipeline, for every
/// connection the server ever accepted (found by Fuzz/, whose AddressSanitizer run reports
/// such leaks).
@Suite("Server connection release")
struct ConnectionReleaseTests {
    @Test("the handler is freed after a call and the close", arguments: [false, true])
    func handlerFreed(withCall: Bool) throws {
        weak var released: ServerConnectionHandler?
        do {
            let channel = EmbeddedChannel()
            let handler = ServerConnectionHandler(
                router: RPCRouter(services: [TestServiceImplementation()]),
                interceptors: [],
                configuration: .defaults
            )
            released = handler
            try channel.pipeline.syncOperations.addHandler(handler)
            var input = ByteBuffer(bytes: Preface.current.bytes)
            if withCall {
                var headers = Framedrpc_V1_CallHeaders()
                headers.method = "/framedrpc.testing.TestService/EmptyCall"
                input.writeFrame(type: .headers, streamID: 1, payload: headers.payloadBytes)
                input.writeEmptyFrame(type: .message, streamID: 1)
                input.writeEmptyFrame(type: .halfClose, streamID: 1)
            }
            try channel.writeInbound(input)
            channel.embeddedEventLoop.run()
            var written = ByteBuffer()
            while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
                written.writeBuffer(&bytes)
            }
            // The preface, then for the call its response (an empty message) and a plain OK STATUS.
            var expected = ByteBuffer(bytes: Preface.current.bytes)
            if withCall {
                expected.writeEmptyFrame(type: .message, streamID: 1)
                expected.writeEmptyFrame(type: .status, streamID: 1)
            }
            #expect(written == expected)
            _ = try channel.finish(acceptAlreadyClosed: true)
        }
        #expect(released == nil)
    }
}
