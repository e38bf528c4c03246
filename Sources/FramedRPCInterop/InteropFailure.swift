import FramedRPC

/// An interop case found the server misbehaving; the message says what was expected.
public struct InteropFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Throws ``InteropFailure`` with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InteropFailure(message()) }
}

/// Runs `body`, expecting it to throw an ``RPCError`` with `code`; returns that error.
@discardableResult
func expectError<T>(
    _ code: StatusCode,
    _ body: () async throws -> T
) async throws -> RPCError {
    do {
        _ = try await body()
    } catch let error as RPCError {
        try check(error.code == code, "expected \(code), got \(error)")
        return error
    }
    throw InteropFailure("expected \(code), but the call succeeded")
}
