import NIOCore

extension NIOLoopBound {
    /// Runs `body` with the value on its event loop: at once when called on that loop,
    /// otherwise as the loop's next task. Calls made from one task keep their order.
    func onLoop(_ body: @escaping @Sendable (Value) -> Void) {
        if eventLoop.inEventLoop {
            body(value)
        } else {
            eventLoop.execute { body(self.value) }
        }
    }

    /// The value when called on its event loop, else `nil`. Hot paths test this before
    /// ``onLoop(_:)`` so that the common case, already on the loop, allocates no closure.
    var valueIfOnLoop: Value? {
        eventLoop.inEventLoop ? value : nil
    }
}
