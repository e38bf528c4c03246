extension ClientCall {
    /// Runs `body` on the call and makes sure the call is over when this returns: cancelled if
    /// `body` left it open or the calling task was cancelled. An error `body` throws because the
    /// call ended (cancelled, past its deadline) is reported as the call's status.
    func run<Result>(_ body: (ClientCall) async throws -> Result) async throws -> Result {
        defer { cancel(RPCError(code: .cancelled, message: "the caller stopped reading the call")) }
        do {
            return try await withTaskCancellationHandler {
                try await body(self)
            } onCancel: {
                cancel(RPCError(code: .cancelled, message: "the calling task was cancelled"))
            }
        } catch let error as RPCError {
            throw error
        } catch {
            throw finalStatus?.error ?? error
        }
    }

    /// The one response of a call that takes one, with its metadata; throws INTERNAL when the
    /// server sent none or more than one.
    nonisolated(nonsending) func onlyResponse() async throws -> UnaryResponse {
        guard let message = try await nextResponse() else {
            throw RPCError(code: .internal, message: "the server ended the call OK without a response message")
        }
        guard try await nextResponse() == nil else {
            throw RPCError(code: .internal, message: "the server sent more than one response on a call that takes one")
        }
        return UnaryResponse(
            message: message, initialMetadata: currentInitialMetadata, trailingMetadata: finalStatus?.trailingMetadata ?? [:])
    }
}
