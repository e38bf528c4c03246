/// Per-call settings a client chooses.
public struct CallOptions: Sendable, Hashable {
    /// The time the call may take; the server ends it with `DEADLINE_EXCEEDED` after that, and the
    /// client gives up at the same time. `nil` means no deadline.
    public var timeout: Duration?

    /// Creates options.
    public init(timeout: Duration?) {
        self.timeout = timeout
    }

    /// No timeout.
    public static var defaults: CallOptions { CallOptions(timeout: nil) }
}
