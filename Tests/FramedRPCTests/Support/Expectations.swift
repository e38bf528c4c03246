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
