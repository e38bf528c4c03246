import NIOCore

/// Drives the floor's load on one connection: one warm-up echo, then `concurrency` messages
/// kept in flight until the measuring time is over.
///
/// Each in-flight message stands for a worker that sends its next message when its echo returns.
/// Echoes come back in order on one connection, so a FIFO of send times pairs each echo with
/// its send. Writes are flushed once per read batch. When the last echo is in, `completion`
/// succeeds with the latencies in microseconds; if the connection fails or closes first, it fails.
/// Event loop only.
final class FloorLoadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case warmingUp
        case measuring(until: NIODeadline)
        case finished
    }

    private let frame: ByteBuffer
    private let concurrency: Int
    private let duration: TimeAmount
    private let completion: EventLoopPromise<[Int]>
    private var phase = Phase.warmingUp
    private var sentAt: CircularBuffer<NIODeadline>
    private var latencies: [Int] = []
    private var needsFlush = false

    /// - Parameters:
    ///   - payload: bytes each message carries; the length prefix is added here.
    ///   - concurrency: messages in flight while measuring.
    ///   - duration: how long to keep sending after the warm-up echo.
    ///   - completion: receives the latencies, or the error that ended the run.
    init(payload: Int, concurrency: Int, duration: TimeAmount, completion: EventLoopPromise<[Int]>) {
        var frame = ByteBuffer()
        frame.reserveCapacity(LengthPrefixedFrameDecoder.prefixLength + payload)
        frame.writeInteger(UInt32(payload))
        frame.writeRepeatingByte(7, count: payload)
        self.frame = frame
        self.concurrency = concurrency
        self.duration = duration
        self.completion = completion
        self.sentAt = CircularBuffer(initialCapacity: concurrency)
        self.latencies.reserveCapacity(concurrency * BenchDefaults.latencyReservePerWorker)
    }

    func channelActive(context: ChannelHandlerContext) {
        // NIOSSL holds this until the handshake is done.
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let echo = unwrapInboundIn(data)
        guard echo.readableBytes == frame.readableBytes else {
            finish(context: context, with: .failure(EchoMismatchError(sent: frame.readableBytes, received: echo.readableBytes)))
            return
        }
        switch phase {
        case .warmingUp:
            let end = NIODeadline.now() + duration
            phase = .measuring(until: end)
            for _ in 0..<concurrency { send(context: context) }
        case .measuring(let end):
            let now = NIODeadline.now()
            latencies.append(Int((now - sentAt.removeFirst()).nanoseconds / 1_000))
            if now < end {
                send(context: context)
            } else if sentAt.isEmpty {
                finish(context: context, with: .success(latencies))
            }
        case .finished:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, with: .failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, with: .failure(ConnectionClosedError()))
        context.fireChannelInactive()
    }

    private func send(context: ChannelHandlerContext) {
        sentAt.append(.now())
        context.write(wrapOutboundOut(frame), promise: nil)
        needsFlush = true
    }

    private func finish(context: ChannelHandlerContext, with result: Result<[Int], any Error>) {
        if case .finished = phase { return }
        phase = .finished
        completion.completeWith(result)
        context.close(promise: nil)
    }
}

/// The floor server echoed a different number of bytes than were sent.
struct EchoMismatchError: Error, CustomStringConvertible {
    var sent: Int
    var received: Int
    var description: String {
        "echo of \(received) bytes for a \(sent)-byte frame: is --port a floor-server?"
    }
}

/// The connection closed before the run finished.
struct ConnectionClosedError: Error, CustomStringConvertible {
    var description: String {
        "the server closed the connection before the run finished: check the server's output"
    }
}
