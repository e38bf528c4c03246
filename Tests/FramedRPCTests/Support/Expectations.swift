import FramedRPC
import Testing

/// Runs `body` and checks it throws an ``RPCError`` with `code`; returns the error.
@discardableResult
func expectRPCError<T>(
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

import NIOConcurrencyHelpers

/// A thread-safe list of strings, for recording what happened across tasks.
final class RecordedStrings: Sendable {
    private let box = NIOLockedValueBox<[String]>([])
    func append(_ value: String) { box.withLockedValue { $0.append(value) } }
    var values: [String] { box.withLockedValue { $0 } }
}

/// Runs `body`, capturing its outcome.
func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
