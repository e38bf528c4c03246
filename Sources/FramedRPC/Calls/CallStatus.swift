/// The status that ends a call, as carried by a STATUS frame.
struct CallStatus: Sendable, Hashable {
    var code: StatusCode
    var message: String
    var details: [RPCError.Detail]
    var trailingMetadata: Metadata

    init(code: StatusCode, message: String = "", details: [RPCError.Detail] = [], trailingMetadata: Metadata = [:]) {
        self.code = code
        self.message = message
        self.details = details
        self.trailingMetadata = trailingMetadata
    }

    init(_ error: RPCError) {
        self.init(code: error.code, message: error.message, details: error.details, trailingMetadata: error.trailingMetadata)
    }

    static func ok(trailingMetadata: Metadata = [:]) -> CallStatus {
        CallStatus(code: .ok, trailingMetadata: trailingMetadata)
    }

    /// Whether this is a plain `OK`: no message, details or metadata. Its STATUS payload is
    /// empty (every field of `CallStatus` at its default).
    var isPlainOK: Bool {
        code == .ok && message.isEmpty && details.isEmpty && trailingMetadata.isEmpty
    }

    /// The error a client sees for this status; `nil` for `OK`.
    var error: RPCError? {
        code == .ok ? nil : RPCError(code: code, message: message, details: details, trailingMetadata: trailingMetadata)
    }
}
