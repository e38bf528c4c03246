import CardexCore
import Foundation

/// Checks outbox bodies as a backend stored them, whatever the backend: pass the raw `body`
/// column (SQLite: ``StoreInspector/pendingOutboxBodies()``; PostgreSQL: `SELECT body FROM
/// outbox WHERE next_attempt_at IS NOT NULL`).
enum StoredBodies {
    /// What is wrong with `stored`: each body not in the sealed form, and each that holds one of
    /// `secrets` (a code, a message's text) in plain text. Empty when every body is sealed and
    /// hides them all.
    static func problems(_ stored: [String], hiding secrets: [String]) -> [String] {
        stored.enumerated().flatMap { index, body -> [String] in
            var problems: [String] = []
            if !body.hasPrefix(MessageSealer.prefix) { problems.append("body \(index) is not sealed: \"\(body.prefix(40))…\"") }
            for (number, secret) in secrets.enumerated() where body.contains(secret) {
                problems.append("body \(index) holds secret \(number) (\"\(secret)\")")
            }
            return problems
        }
    }
}
