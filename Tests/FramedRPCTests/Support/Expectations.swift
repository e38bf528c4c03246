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

/// Polls `condition` every 10 ms for up to 5 s.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
