import NIOCore

// Bounds what a connection queues for a peer that does not read.
//
// Two layers (docs/ARCHITECTURE.md, "Back-pressure"):
// - NIO's `BackPressureHandler`, first in the pipeline, stops reading the socket while the
//   channel is not writable (more than `backpressure.writeBufferHighWaterMark` bytes queued), so a peer
//   that does not read cannot provoke more writes (PONGs, WINDOW_UPDATEs, refusals) either.
// - What the calls already running keep writing is capped here: past
//   `backpressure.maxBufferedOutboundBytes` queued bytes the connection is closed.
extension ServerConnectionHandler {
    /// Makes the writer close the connection once more than the configured maximum is queued.
    func limitOutboundBuffering() {
        // Unowned: the writer holds the context, which holds this handler.
        writer?.outboundLimit = (
            configuration.backpressure.maxBufferedOutboundBytes,
            { [unowned self] in
                outboundLimitExceeded()
            }
        )
    }

    /// The peer left more than `backpressure.maxBufferedOutboundBytes` unread: close without a GOAWAY (it
    /// would queue behind what the peer is not reading) and cancel the open calls.
    private func outboundLimitExceeded() {
        guard state.isOpen, let context else { return }
        tearDown(
            reason: RPCError(
                code: .unavailable,
                message: "the client read too slowly: more than \(configuration.backpressure.maxBufferedOutboundBytes) bytes waited to be sent"))
        // Closed from the front of the pipeline, past TLS: a TLS close would hold the queued
        // bytes for up to its shutdown timeout (5 s), waiting for a close_notify that a peer
        // which does not read will not send.
        let front = try? context.pipeline.syncOperations.context(handlerType: BackPressureHandler.self)
        (front ?? context).close(promise: nil)
    }
}

extension ServerConfiguration.Backpressure {
    /// The channel's write-buffer water marks: reading stops above the high mark and resumes
    /// once the queue drains below half of it.
    var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark {
        let high = max(writeBufferHighWaterMark, 2)
        return .init(low: high / 2, high: high)
    }
}
