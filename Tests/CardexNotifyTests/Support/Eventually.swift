/// Waits until `condition` holds, checking every 10 ms, for at most `limit`.
///
/// Only for tests that run a worker in the background; everything else drives time by hand.
func eventually(
    within limit: Duration = .seconds(5),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while !(try await condition()) {
        guard clock.now < deadline else {
            throw TimedOut(what: what, limit: limit)
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A condition did not hold in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var limit: Duration
    var description: String { "timed out after \(limit) waiting for \(what)" }
}
