import FramedRPC
import Testing

/// Runs `body` and records a test issue unless it throws an ``RPCError`` with `code`; returns
/// the error for further checks (`nil` when there was none or another kind of error).
@discardableResult
public func expectRPCError<T>(
    _ code: StatusCode,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> RPCError? {
    do {
        _ = try await body()
        Issue.record("expected \(code), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected RPCError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
