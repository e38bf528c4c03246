import Synchronization

/// What a handler knows about the call it serves, and how it sets response metadata.
///
/// Interceptors receive the context before the handler and may pass on a copy with
/// ``attributes`` added (for example the authenticated user). Safe to use from any task.
public struct ServerContext: Sendable {
    /// The method being called.
    public let descriptor: MethodDescriptor
    /// The metadata the client sent with the call.
    public let requestMetadata: Metadata
    /// When the server ends the call with `DEADLINE_EXCEEDED`; `nil` when the client set no timeout.
    /// The handler's task is cancelled at that moment.
    public let deadline: ContinuousClock.Instant?
    /// The remote address (`ipv4:127.0.0.1:51234`) or `in-process`.
    public let peer: String
    /// Values interceptors attach for handlers further down.
    public var attributes: Attributes

    let response: ResponseMetadata

    init(
        descriptor: MethodDescriptor,
        requestMetadata: Metadata,
        deadline: ContinuousClock.Instant?,
        peer: String,
        response: ResponseMetadata
    ) {
        self.descriptor = descriptor
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.attributes = Attributes()
        self.response = response
    }

    /// Sets the response's initial metadata. It is sent with the first response message, or
    /// with the status if there is none; a call after that has no effect and returns `false`.
    @discardableResult
    public func setInitialMetadata(_ metadata: Metadata) -> Bool {
        response.setInitial(metadata)
    }

    /// Adds metadata to be sent with the final status, whatever the status is.
    public func addTrailingMetadata(_ metadata: Metadata) {
        response.addTrailing(metadata)
    }

    /// Typed values keyed by types conforming to ``AttributeKey``.
    public struct Attributes: Sendable {
        private var storage: [ObjectIdentifier: any Sendable] = [:]

        /// Reads or writes the value for `key`.
        public subscript<Key: AttributeKey>(key: Key.Type) -> Key.Value? {
            get { storage[ObjectIdentifier(key)] as? Key.Value }
            set { storage[ObjectIdentifier(key)] = newValue }
        }
    }
}

/// A key for ``ServerContext/Attributes``: `enum UserKey: AttributeKey { typealias Value = UserID }`.
public protocol AttributeKey {
    /// The type stored under this key.
    associatedtype Value: Sendable
}

/// The response metadata a handler sets; shared by the copies of one call's context.
/// ``ServerCall`` is one (a subclass), so a call costs one allocation for both.
class ResponseMetadata: @unchecked Sendable {
    private struct State {
        var initial = Metadata()
        var initialSent = false
        var trailing = Metadata()
    }

    private let state = Mutex(State())

    init() {}

    func setInitial(_ metadata: Metadata) -> Bool {
        state.withLock { state in
            guard !state.initialSent else { return false }
            state.initial = metadata
            return true
        }
    }

    func addTrailing(_ metadata: Metadata) {
        state.withLock { $0.trailing.add(contentsOf: metadata) }
    }

    /// Returns the initial metadata the first time it is called (marking it sent), else `nil`.
    func takeInitialForSending() -> Metadata? {
        state.withLock { state in
            guard !state.initialSent else { return nil }
            state.initialSent = true
            return state.initial
        }
    }

    func takeTrailing() -> Metadata {
        state.withLock { state in
            defer { state.trailing = Metadata() }
            return state.trailing
        }
    }
}
